// arch/reloc_set.hpp: a relocation set = an architecture's traits (machine, REL/RELA, GOT slot
// size, veneer/PLT stub) + a compile-time list of howtos (arch/common.hpp). Boost.Hana does the
// heterogeneous work: the list is a hana::tuple_t, narrowing a set to a subset of its types is a
// hana::filter, and the per-relocation dispatch is a fold over the list, so a narrowed loader
// instantiates only the handlers it keeps and rejects every other type by number and name.
#pragma once

#include <boost/hana/any_of.hpp>
#include <boost/hana/contains.hpp>
#include <boost/hana/filter.hpp>
#include <boost/hana/integral_constant.hpp>
#include <boost/hana/length.hpp>
#include <boost/hana/tuple.hpp>
#include <boost/hana/type.hpp>
#include <boost/hana/unpack.hpp>

#include <array>
#include <concepts>
#include <cstdint>
#include <utility>

#include "extload/arch/common.hpp"

namespace extload::inline v0::arch {

namespace hana = boost::hana;

// What a howto must provide (see arch/common.hpp).
template <class H>
concept howto = requires {
  { H::type } -> std::convertible_to<std::uint32_t>;
  { H::name } -> std::convertible_to<char const*>;
  { H::kind } -> std::convertible_to<expr>;
  { H::check } -> std::convertible_to<range>;
  { H::align } -> std::convertible_to<std::uint64_t>;
  { H::width } -> std::convertible_to<std::size_t>;
};

// Traits every architecture supplies. Two hooks are optional (reloc_set below supplies the
// default when a traits struct leaves one out):
//   static constexpr bool accepts_flags(std::uint32_t e_flags)      default: every value
//     whether an object with these processor-specific flags (ABI version, float ABI, ...) was
//     built for what this set links (gABI "ELF Header": e_flags);
//   static constexpr bool known_section_type(std::uint32_t sh_type)  default: none
//     whether a processor-specific section type (SHT_LOPROC..SHT_HIPROC) has a meaning the
//     loader may rely on when the section is SHF_ALLOC (loaded as data, like SHT_PROGBITS).
template <class T>
concept arch_traits = requires {
  { T::e_machine } -> std::convertible_to<std::uint16_t>;
  { T::uses_rela } -> std::convertible_to<bool>;
  { T::got_entry_size } -> std::convertible_to<std::size_t>;
  { T::veneer_size } -> std::convertible_to<std::size_t>; // 0: no veneers/PLT stubs
  { T::veneer_align } -> std::convertible_to<std::uint64_t>;
  { T::arch_name } -> std::convertible_to<char const*>;
};

template <arch_traits Traits, howto... Howtos>
struct reloc_set : Traits {
  using traits = Traits;
  static constexpr auto howtos = hana::tuple_t<Howtos...>;
  static constexpr std::size_t type_count = sizeof...(Howtos);

private:
  static constexpr bool unique_types() {
    std::uint32_t const t[] = {Howtos::type..., 0};
    for (std::size_t i = 0; i < sizeof...(Howtos); ++i)
      for (std::size_t j = i + 1; j < sizeof...(Howtos); ++j)
        if (t[i] == t[j]) return false;
    return true;
  }
  static_assert(unique_types(), "a relocation set lists a relocation type twice");

public:
  // Call f(hana::type_c<H>) for the howto H of `type`; returns `fallback` if none handles it.
  template <class R, class F>
  EXTLOAD_ALWAYS_INLINE static constexpr R dispatch(std::uint32_t type, R fallback, F&& f) {
    R r = fallback;
    (void)((type == Howtos::type ? (r = f(hana::type_c<Howtos>), true) : false) || ...);
    return r;
  }

  // The same by type index (index_of), for a caller that already has it: the indices are dense,
  // so this is one jump table with no search and no second range check of the type number.
  template <class R, class F>
  EXTLOAD_ALWAYS_INLINE static constexpr R dispatch_index(std::size_t index, R fallback, F&& f) {
    return dispatch_index_in(index, fallback, f, std::index_sequence_for<Howtos...>{});
  }
  template <class R, class F, std::size_t... I>
  EXTLOAD_ALWAYS_INLINE static constexpr R dispatch_index_in(std::size_t index, R fallback, F& f, std::index_sequence<I...>) {
    R r = fallback;
    (void)((index == I ? (r = f(hana::type_c<Howtos>), true) : false) || ...);
    return r;
  }

  // The index of the first howto H for which pred(hana::type_c<H>) holds (type_count if none).
  template <class Pred>
  static constexpr std::size_t find_index(Pred pred) noexcept {
    std::size_t i = 0, found = sizeof...(Howtos);
    (void)((pred(hana::type_c<Howtos>) ? (found = i, true) : (++i, false)) || ...);
    return found;
  }

  static constexpr bool handles(std::uint32_t type) noexcept { return ((type == Howtos::type) || ...); }

  // The optional traits hooks (see arch_traits), with their defaults.
  static constexpr bool accepts_flags(std::uint32_t e_flags) noexcept {
    if constexpr (requires(std::uint32_t f) { { Traits::accepts_flags(f) } -> std::same_as<bool>; }) return Traits::accepts_flags(e_flags);
    else return true;
  }
  static constexpr bool known_section_type(std::uint32_t sh_type) noexcept {
    if constexpr (requires(std::uint32_t t) { { Traits::known_section_type(t) } -> std::same_as<bool>; }) return Traits::known_section_type(sh_type);
    else return false;
  }

  // Split pairs (arch/common.hpp pair_role): does the set have any, and what is `type`'s role?
  static constexpr bool has_pairs = ((pair_role_of<Howtos>() != pair_role::none) || ...);
  static constexpr pair_role pair_of(std::uint32_t type) noexcept {
    pair_role p = pair_role::none;
    (void)((type == Howtos::type ? (p = pair_role_of<Howtos>(), true) : false) || ...);
    return p;
  }

  static constexpr char const* name_of(std::uint32_t type) noexcept {
    char const* n = nullptr;
    (void)((type == Howtos::type ? (n = Howtos::name, true) : false) || ...);
    return n;
  }
  static constexpr expr kind_of(std::uint32_t type) noexcept {
    expr k = expr::none;
    (void)((type == Howtos::type ? (k = Howtos::kind, true) : false) || ...);
    return k;
  }
  // Position of `type` in the list (for per-type counters and the per-index tables below);
  // type_count when absent. One table load: the loader calls this once per relocation.
  static constexpr std::uint32_t max_type = [] {
    std::uint32_t m = 0;
    ((m = Howtos::type > m ? Howtos::type : m), ...);
    return m;
  }();
  static constexpr bool dense = max_type < 4096 && sizeof...(Howtos) < 255;
  static constexpr auto index_table = [] {
    std::array<std::uint8_t, dense ? max_type + 1 : 1> t{};
    if constexpr (dense) {
      for (auto& e : t) e = static_cast<std::uint8_t>(sizeof...(Howtos)); // "no howto"
      std::uint8_t i = 0;
      ((t[Howtos::type] = i++), ...);
    }
    return t;
  }();
  static constexpr std::size_t index_of(std::uint32_t type) noexcept {
    if constexpr (dense) {
      return type > max_type ? sizeof...(Howtos) : index_table[type]; // one compare, one load
    } else {
      std::size_t i = 0, found = sizeof...(Howtos);
      (void)((type == Howtos::type ? (found = i, true) : (++i, false)) || ...);
      return found;
    }
  }
  // Per-index facts, for the loader's pre-scan (no dispatch needed to classify a relocation).
  static constexpr std::array<expr, sizeof...(Howtos)> kinds{Howtos::kind...};
  static constexpr std::array<range, sizeof...(Howtos)> checks{Howtos::check...};
  static constexpr std::array<pair_role, sizeof...(Howtos)> pair_roles{pair_role_of<Howtos>()...};
  // Types the loader's pre-scan has nothing to decide for: no value (NONE, RELAX markers) or a
  // full-width absolute word, which reaches any address and needs no GOT slot or veneer.
  static constexpr std::array<bool, sizeof...(Howtos)> scan_free{
      (Howtos::kind == expr::none || (Howtos::kind == expr::abs && Howtos::check.unchecked))...};
  // The bytes each type writes, and whether it composes with an earlier relocation at the same
  // offset (arch/common.hpp: site_width_of, composes_of), for the pre-scan's overlap check.
  static constexpr std::array<std::uint8_t, sizeof...(Howtos)> site_widths{static_cast<std::uint8_t>(site_width_of<Howtos>())...};
  static constexpr std::array<bool, sizeof...(Howtos)> composes{composes_of<Howtos>()...};
  // Branches that become a no-op against an undefined weak function (no veneer to reserve).
  static constexpr std::array<bool, sizeof...(Howtos)> weak_nops{has_weak_nop<Howtos>...};
  static constexpr bool any_weak_nop = (has_weak_nop<Howtos> || ...);
  static constexpr std::size_t max_site_width = [] {
    std::size_t m = 0;
    ((m = site_width_of<Howtos>() > m ? site_width_of<Howtos>() : m), ...);
    return m;
  }();
  static_assert(((site_width_of<Howtos>() < 256) && ...), "a relocation site is wider than 255 bytes");

  static constexpr std::array<std::uint32_t, sizeof...(Howtos)> types() noexcept { return {Howtos::type...}; }
  static constexpr std::array<char const*, sizeof...(Howtos)> names() noexcept { return {Howtos::name...}; }
};

// The relocation-set policy as the loader uses it.
template <class R>
concept relocation_set = arch_traits<R> && requires(std::uint32_t t) {
  { R::handles(t) } -> std::same_as<bool>;
  { R::name_of(t) } -> std::same_as<char const*>;
  { R::kind_of(t) } -> std::same_as<expr>;
  { R::type_count } -> std::convertible_to<std::size_t>;
  { R::accepts_flags(t) } -> std::same_as<bool>;
  { R::known_section_type(t) } -> std::same_as<bool>;
};

namespace detail {
template <class Traits>
struct make_set {
  template <class... T>
  constexpr auto operator()(T...) const { return hana::type_c<reloc_set<Traits, typename T::type...>>; }
};
template <class Set, std::uint32_t... Keep>
constexpr auto narrowed() {
  constexpr auto keep = hana::tuple_c<std::uint32_t, Keep...>;
  // Every requested type must exist in the full set: a typo is a compile error, not a silent drop.
  static_assert(((Set::handles(Keep)) && ...), "narrow<>: a requested relocation type is not in this relocation set");
  auto kept = hana::filter(Set::howtos, [&](auto t) {
    using H = typename decltype(t)::type;
    return hana::contains(keep, hana::integral_c<std::uint32_t, H::type>);
  });
  return hana::unpack(kept, make_set<typename Set::traits>{});
}
} // namespace detail

// narrow<arch::x86_64, R_X86_64_64, R_X86_64_PC32>: the same architecture with only those
// types. Other types are rejected at load time with errc::unknown_relocation naming the type.
template <class Set, std::uint32_t... Keep>
using narrow = typename decltype(detail::narrowed<Set, Keep...>())::type;

} // namespace extload::inline v0::arch
