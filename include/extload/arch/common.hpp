// arch/common.hpp: the vocabulary every relocation set is written in (lld's split).
//
// A relocation type is a small struct, a "howto", stating
//   * `what value`: `kind` (an expr below, e.g. S + A - P),
//   * `which range`: `check` (the interval the value must lie in) and `align`,
//   * `which bits`: `write<Order>(place, value)` and, for REL sets, `read_addend<Order>(place)`.
// The generic code computes the value, checks range and alignment before writing (lld's
// checkInt/checkUInt/checkIntUInt/checkAlignment), and reports the value and the interval.
// A relocation set (arch/reloc_set.hpp) is a machine + a compile-time list of howtos.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "extload/bytes.hpp"
#include "extload/error.hpp"

namespace extload::inline v0::arch {

// What value a relocation computes (names from the psABIs; G is the address of the symbol's
// GOT slot, GOT the GOT base, L the address of a PLT stub / veneer for the symbol, Z its size).
enum class expr : std::uint8_t {
  none,         // no value, nothing written (R_*_NONE, R_RISCV_RELAX, ...)
  abs,          // S + A
  pc,           // S + A - P
  branch,       // S + A - P for a call/jump; through a veneer (L + A - P) when S is out of range
  got_pc,       // G + A - P
  got_off,      // G + A - GOT   (slot offset from the GOT base: i386 GOT32, ARM GOT_BREL)
  got_abs,      // G + A         (absolute slot address)
  gotoff,       // S + A - GOT
  gotpc,        // GOT + A - P
  size,         // Z + A
  page_pc,      // Page(S + A) - Page(P)        (AArch64 ADRP; Page(x) = x & ~0xfff)
  got_page_pc,  // Page(G + A) - Page(P)
  custom,       // the howto computes the value itself: `static constexpr std::uint64_t compute(values const&)`
  tls,          // thread-local storage: rejected with errc::unsupported_relocation
};

constexpr bool needs_got(expr e) noexcept {
  return e == expr::got_pc || e == expr::got_off || e == expr::got_abs || e == expr::got_page_pc;
}
constexpr bool uses_got_base(expr e) noexcept {
  return e == expr::got_off || e == expr::gotoff || e == expr::gotpc;
}

// The inputs of a value computation. Unsigned arithmetic wraps like the hardware does.
struct values {
  std::uint64_t S = 0;   // symbol address (0 for weak undefined)
  std::int64_t A = 0;    // addend
  std::uint64_t P = 0;   // address of the place
  std::uint64_t G = 0;   // address of the symbol's GOT slot
  std::uint64_t GOT = 0; // GOT base
  std::uint64_t L = 0;   // veneer / PLT stub address (0 when none)
  std::uint64_t Z = 0;   // symbol size
  std::uint8_t sym_type = 0; // STT_* of the target (ARM interworking needs STT_FUNC)
  std::uint64_t pair = 0;    // for the low half of a split pair (RISC-V PCREL_LO12_*): the value
                             // computed for its high half (PCREL_HI20/GOT_HI20) at the label
};

// Relocations that work in pairs across two instructions, where the low half's symbol is the
// label of the instruction carrying the high half (RISC-V psABI "PC-relative symbol addresses").
// A howto declares `static constexpr pair_role pair = pair_role::hi` (or lo); the loader computes
// the high halves of a section first and hands each low half its partner's value in values::pair.
enum class pair_role : std::uint8_t { none, hi, lo };
template <class H>
constexpr pair_role pair_role_of() noexcept {
  if constexpr (requires { H::pair; }) return H::pair;
  else return pair_role::none;
}

// Relocation sites. Two relocations of one section may write the same bytes only where a psABI
// composes them: a howto that reads its place and combines the result with what is there
// (RISC-V ADD*/SUB*/SUB6/SUB_ULEB128: V + S + A, V - S - A) may follow an earlier relocation at
// the same r_offset, which is how label differences are written (R_RISCV_ADD32 + R_RISCV_SUB32,
// R_RISCV_SET6 + R_RISCV_SUB6, R_RISCV_SET_ULEB128 + R_RISCV_SUB_ULEB128 at one offset). Such a
// howto declares `static constexpr bool composes = true`. Markers (expr::none: R_*_NONE,
// R_RISCV_RELAX/ALIGN, Xtensa ASM_EXPAND/DIFF*) and rejected types (expr::tls) write nothing,
// so their site is empty and shares bytes with anything.
template <class H>
constexpr bool composes_of() noexcept {
  if constexpr (requires { H::composes; }) return H::composes;
  else return false;
}

constexpr std::uint64_t page(std::uint64_t x) noexcept { return x & ~std::uint64_t{0xfff}; }

// The interval a computed value must lie in, as signed 64-bit bounds (lld style).
struct range {
  std::int64_t min = std::numeric_limits<std::int64_t>::min();
  std::int64_t max = std::numeric_limits<std::int64_t>::max();
  bool unchecked = true; // full width: any value is representable (e.g. 64-bit fields)

  // checkInt(v, N): v as a signed value fits in N bits.
  // checkUInt(v, N): v as an unsigned value fits in N bits.
  // checkIntUInt(v, N): either (32-bit data words that accept both).
  // Always inlined: with a howto's constant `check` it folds to one or two compares (gcc left
  // it out of line in the relocation loops, a call per relocation).
  EXTLOAD_ALWAYS_INLINE constexpr bool contains(std::uint64_t v) const noexcept {
    if (unchecked) return true;
    if (either) {
      auto const s = static_cast<std::int64_t>(v);
      return (s >= min && s <= smax) || v <= static_cast<std::uint64_t>(max);
    }
    if (is_unsigned) return v <= static_cast<std::uint64_t>(max);
    auto const s = static_cast<std::int64_t>(v);
    return s >= min && s <= max;
  }
  bool is_unsigned = false;
  bool either = false;
  std::int64_t smax = 0; // for `either`: the signed maximum
};

constexpr range signed_bits(unsigned n) noexcept {
  range r;
  r.unchecked = n >= 64;
  if (!r.unchecked) { r.min = -(std::int64_t{1} << (n - 1)); r.max = (std::int64_t{1} << (n - 1)) - 1; }
  return r;
}
constexpr range unsigned_bits(unsigned n) noexcept {
  range r;
  r.unchecked = n >= 64;
  r.is_unsigned = true;
  if (!r.unchecked) { r.min = 0; r.max = static_cast<std::int64_t>((std::uint64_t{1} << n) - 1); }
  return r;
}
// A value that may be read as signed or unsigned: [-2^(n-1), 2^n - 1].
constexpr range any_bits(unsigned n) noexcept {
  range r;
  r.unchecked = n >= 64;
  r.either = true;
  if (!r.unchecked) {
    r.min = -(std::int64_t{1} << (n - 1));
    r.smax = (std::int64_t{1} << (n - 1)) - 1;
    r.max = static_cast<std::int64_t>((std::uint64_t{1} << n) - 1);
  }
  return r;
}
inline constexpr range no_check{};

// Bit helpers for instruction fields.
constexpr std::uint64_t bits(std::uint64_t v, unsigned hi, unsigned lo) noexcept {
  unsigned const n = hi - lo + 1;
  return (v >> lo) & (n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1);
}
constexpr std::int64_t sign_extend(std::uint64_t v, unsigned n) noexcept {
  std::uint64_t const m = std::uint64_t{1} << (n - 1);
  v &= (n >= 64) ? ~std::uint64_t{0} : ((std::uint64_t{1} << n) - 1);
  return static_cast<std::int64_t>((v ^ m) - m);
}

// The value of `kind` for the inputs (the switch behind evaluate<H>, for howtos whose kind
// depends on the instruction at the place; see place_kind below).
constexpr std::uint64_t evaluate_kind(expr kind, values const& v) noexcept {
  auto const A = static_cast<std::uint64_t>(v.A);
  switch (kind) {
  case expr::abs: return v.S + A;
  case expr::pc: return v.S + A - v.P;
  case expr::branch: return (v.L != 0 ? v.L : v.S) + A - v.P;
  case expr::got_pc: return v.G + A - v.P;
  case expr::got_off: return v.G + A - v.GOT;
  case expr::got_abs: return v.G + A;
  case expr::gotoff: return v.S + A - v.GOT;
  case expr::gotpc: return v.GOT + A - v.P;
  case expr::size: return v.Z + A;
  case expr::page_pc: return page(v.S + A) - page(v.P);
  case expr::got_page_pc: return page(v.G + A) - page(v.P);
  default: return 0;
  }
}

// A howto whose formula depends on the instruction it patches declares
//   static constexpr expr place_kind(std::byte const* section, std::uint64_t offset)
// (i386 GOT32X: `call *foo@GOT` without a base register needs G + A, with one G + A - GOT;
// the ModRM byte before the place tells, and the section start bounds that read).
template <class H>
inline constexpr bool has_place_kind = requires(std::byte const* p, std::uint64_t o) { H::place_kind(p, o); };

// Compute the value of a howto from its inputs ("what value").
template <class H>
constexpr std::uint64_t evaluate(values const& v) noexcept {
  if constexpr (H::kind == expr::custom) {
    static_assert(requires { H::compute(v); }, "a howto of kind expr::custom must define compute(values)");
    return H::compute(v);
  } else {
    return evaluate_kind(H::kind, v); // none and tls give 0
  }
}

// Check range and alignment ("is the value representable"), before anything is written.
// A howto may replace the generic check with `static constexpr errc validate(std::uint64_t)`
// (e.g. ARM BL/BLX, where bit 0 of the value carries the target's instruction set).
template <class H>
EXTLOAD_ALWAYS_INLINE constexpr errc check_value(std::uint64_t value) noexcept {
  if constexpr (requires { H::validate(value); }) {
    return H::validate(value);
  } else {
    if (!H::check.contains(value)) return errc::relocation_overflow;
    if constexpr (H::align > 1)
      if ((value & (H::align - 1)) != 0) return errc::misaligned_relocation;
    return errc::ok;
  }
}

// Does the howto write a field whose length depends on the place (ULEB128)? Then its writer
// takes the bytes left in the section: `write<Order>(place, value, room)`.
template <class H>
inline constexpr bool variable_width = requires(std::byte* p, std::uint64_t v, std::uint64_t room) {
  H::template write<std::endian::little>(p, v, room);
};

// Check, then write ("which bits"). Writes nothing on failure. `room` = bytes from the place to
// the end of its section (the loader has checked room >= H::width).
template <class H, std::endian Order>
constexpr errc check_and_write(std::byte* place, std::uint64_t value, std::uint64_t room = H::width) noexcept {
  if constexpr (H::kind == expr::none) {
    return errc::ok;
  } else if constexpr (H::kind == expr::tls) {
    return errc::unsupported_relocation;
  } else {
    if (errc const c = check_value<H>(value); c != errc::ok) return c;
    if constexpr (variable_width<H>) {
      return H::template write<Order>(place, value, room);
    } else {
      (void)room;
      H::template write<Order>(place, value);
      return errc::ok;
    }
  }
}

// The bytes a relocation writes at its place (see composes_of above): 0 for markers and for
// types that are rejected, the field width otherwise.
template <class H>
constexpr std::size_t site_width_of() noexcept {
  return H::kind == expr::none || H::kind == expr::tls ? 0 : H::width;
}

// Does a branch howto turn a call or jump to an undefined weak function (address 0) into a no-op
// (`write_weak_nop<Order>(place)`, ARM: as GNU ld)? Then it needs no veneer for such a target.
template <class H>
inline constexpr bool has_weak_nop = requires(std::byte* p) { H::template write_weak_nop<std::endian::little>(p); };

// Both steps at once: the whole relocation given its inputs (what the tests exercise).
template <class H, std::endian Order>
constexpr errc apply(std::byte* place, values const& v) noexcept {
  return check_and_write<H, Order>(place, evaluate<H>(v));
}

// Common "which bits" writers.
template <class T>
struct data_write {
  template <std::endian Order>
  static constexpr void write(std::byte* p, std::uint64_t v) noexcept { store_at<T, Order>(p, static_cast<T>(v)); }
  template <std::endian Order>
  static constexpr std::int64_t read_addend(std::byte const* p) noexcept {
    return sign_extend(load_at<T, Order>(p), sizeof(T) * 8);
  }
  static constexpr std::size_t width = sizeof(T);
};

} // namespace extload::inline v0::arch
