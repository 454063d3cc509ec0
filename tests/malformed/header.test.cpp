// tests/malformed/header.test.cpp: MALFORMED.md classes 1-11, the file and the ELF header
// (gABI "ELF Header", "Sections" / extended numbering): truncation, identification, e_type,
// e_machine, e_shentsize, the section table's place, misalignment, extended numbering,
// e_shstrndx, section 0, program-header fields. Each class is one constexpr function run in
// static_assert for ELF32/ELF64 × LE/BE, at run time, and through the whole x86-64 loader
// (which must reject before allocating anything).
#include <cstdint>

#include "malformed/harness.hpp"

namespace {

using namespace extload;
using namespace extload::test;
using namespace extload::test::malformed;

template <class F>
constexpr std::uint64_t ehdr = F::elf_class_type::ehdr_size;
template <class F>
constexpr std::uint64_t shdr = F::elf_class_type::shdr_size;

template <class F>
constexpr image<F> truncated_to(std::size_t n) {
  image<F> i = base_img<F>;
  i.truncate(n);
  return i;
}

// --- 1. truncated input ------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c01_truncated(Check const& c) {
  auto const full = base_img<F>.size();
  // .text's bytes moved past the section table, so the last byte of the file is section data.
  image<F> data_last = base_img<F>;
  move_section_data(data_last, idx::text, data_last.size());
  image<F> data_cut = data_last;
  data_cut.truncate(data_last.size() - 1);
  return c(truncated_to<F>(0), {errc::truncated, field::e_ident, no_index, no_index, no_index, 0})
      && c(truncated_to<F>(4), {errc::truncated, field::e_ident, no_index, no_index, no_index, 4})
      && c(truncated_to<F>(elf::EI_NIDENT - 1), {errc::truncated, field::e_ident, no_index, no_index, no_index, elf::EI_NIDENT - 1})
      && c(truncated_to<F>(elf::EI_NIDENT), {errc::truncated, field::e_ehsize, no_index, no_index, no_index, elf::EI_NIDENT})
      && c(truncated_to<F>(ehdr<F> - 1), {errc::truncated, field::e_ehsize, no_index, no_index, no_index, static_cast<std::int64_t>(ehdr<F> - 1)})
      && c(truncated_to<F>(ehdr<F>), {errc::truncated, field::e_shoff, no_index, no_index, no_index, static_cast<std::int64_t>(base_img<F>.layout.shoff)})
      // Cut inside the section table: e_shnum headers no longer fit.
      && boundary(c, truncated_to<F>(full), truncated_to<F>(full - 1),
                  {errc::truncated, field::e_shnum, no_index, no_index, no_index, idx::shnum, 0, idx::shnum - 1})
      // Cut inside a section's data.
      && boundary(c, data_last, data_cut, {errc::truncated, field::sh_size, idx::text, no_index, no_index, 16});
}
EXTLOAD_MALFORMED_CASE(c01_truncated, "1 truncated input: empty, inside e_ident, inside the header, the table, section data")

TEST_CASE("malformed: 1/43 short read: an empty or null span is rejected, not read") {
  CHECK(is(try_load({}).error, {errc::truncated, field::e_ident, no_index, no_index, no_index, 0}));
  CHECK(try_load({}).clean);
  CHECK(try_load({}).calls == 0);
}

// --- 2. bad identification ---------------------------------------------------------------------
template <class F>
constexpr image<F> ident(std::size_t i, std::uint8_t v) {
  image<F> img = base_img<F>;
  img.patch_ident(i, v);
  return img;
}
template <class F, class Check>
constexpr bool c02_ident(Check const& c) {
  std::uint8_t const other_class = F::is_64 ? elf::ELFCLASS32 : elf::ELFCLASS64;
  std::uint8_t const other_data = F::is_le ? elf::ELFDATA2MSB : elf::ELFDATA2LSB;
  image<F> v0 = base_img<F>, v2 = base_img<F>;
  v0.patch(field::e_version, 0);
  v2.patch(field::e_version, 2);
  bool ok_ = true;
  for (std::size_t i = 0; i < 4; ++i) {
    ok_ = ok_ && c(ident<F>(i, 0), {errc::bad_magic, field::e_ident})
              && c(ident<F>(i, static_cast<std::uint8_t>(base_img<F>.ident(i) ^ 0x20)), {errc::bad_magic, field::e_ident});
  }
  return ok_
      && c(ident<F>(elf::EI_CLASS, other_class), {errc::bad_class, field::e_ident, no_index, no_index, no_index, other_class})
      && c(ident<F>(elf::EI_CLASS, 0), {errc::bad_class, field::e_ident, no_index, no_index, no_index, 0})
      && c(ident<F>(elf::EI_CLASS, 3), {errc::bad_class, field::e_ident, no_index, no_index, no_index, 3})
      && c(ident<F>(elf::EI_DATA, other_data), {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, other_data})
      && c(ident<F>(elf::EI_DATA, 0), {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, 0})
      && c(ident<F>(elf::EI_DATA, 3), {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, 3})
      && c(ident<F>(elf::EI_VERSION, 0), {errc::bad_version, field::e_ident, no_index, no_index, no_index, 0})
      && boundary(c, base_img<F>, ident<F>(elf::EI_VERSION, 2), {errc::bad_version, field::e_ident, no_index, no_index, no_index, 2})
      && c(v0, {errc::bad_version, field::e_version, no_index, no_index, no_index, 0})
      && boundary(c, base_img<F>, v2, {errc::bad_version, field::e_version, no_index, no_index, no_index, 2})
      // EI_OSABI / EI_ABIVERSION / padding carry nothing an ET_REL loader needs.
      && c(ident<F>(elf::EI_OSABI, 0xff), accepted) && c(ident<F>(15, 0xff), accepted);
}
EXTLOAD_MALFORMED_CASE(c02_ident, "2 bad identification: magic, EI_CLASS, EI_DATA, EI_VERSION, e_version")

// An image of the other class or byte order, given to this format's parser.
constexpr bool c02_cross_format() {
  auto const& i64 = base_img<elf64le>;
  auto const& i32 = base_img<elf32be>;
  return is(validate<elf32le>(i64.view()), {errc::bad_class, field::e_ident, no_index, no_index, no_index, elf::ELFCLASS64})
      && is(validate<elf64be>(i64.view()), {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, elf::ELFDATA2LSB})
      && is(validate<elf64le>(i32.view()), {errc::bad_class, field::e_ident, no_index, no_index, no_index, elf::ELFCLASS32})
      && is(validate<elf32le>(i32.view()), {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, elf::ELFDATA2MSB});
}
static_assert(c02_cross_format());
TEST_CASE("malformed: 2 an ELF64 object given to an ELF32 loader, a big-endian one to a little-endian loader") {
  CHECK(c02_cross_format());
  CHECK(is(try_load(base_img<elf32le>.view()).error, {errc::bad_class, field::e_ident, no_index, no_index, no_index, elf::ELFCLASS32}));
  CHECK(is(try_load(base_img<elf64be>.view()).error, {errc::bad_byte_order, field::e_ident, no_index, no_index, no_index, elf::ELFDATA2MSB}));
}

// --- 3. e_type -----------------------------------------------------------------------------------
template <class F>
constexpr image<F> with_header(field f, std::uint64_t v) {
  image<F> img = base_img<F>;
  img.patch(f, v);
  return img;
}
template <class F, class Check>
constexpr bool c03_type(Check const& c) {
  auto bad = [](std::int64_t t) { return want{errc::bad_type, field::e_type, no_index, no_index, no_index, t}; };
  return c(with_header<F>(field::e_type, elf::ET_NONE), bad(elf::ET_NONE))
      && boundary(c, base_img<F>, with_header<F>(field::e_type, elf::ET_EXEC), bad(elf::ET_EXEC))
      && c(with_header<F>(field::e_type, elf::ET_DYN), bad(elf::ET_DYN))
      && c(with_header<F>(field::e_type, elf::ET_CORE), bad(elf::ET_CORE))
      && c(with_header<F>(field::e_type, 0xfe00), bad(0xfe00))  // ET_LOOS
      && c(with_header<F>(field::e_type, 0xffff), bad(0xffff)); // ET_HIPROC
}
EXTLOAD_MALFORMED_CASE(c03_type, "3 e_type other than ET_REL (NONE, EXEC, DYN, CORE, OS/processor-specific)")

// --- 4. e_machine, e_flags ------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c04_machine(Check const& c) {
  std::uint16_t const m = machine_of<F>;
  auto bad = [m](std::int64_t v) { return want{errc::bad_machine, field::e_machine, no_index, no_index, no_index, v, m, m}; };
  return c(with_header<F>(field::e_machine, elf::EM_NONE), bad(elf::EM_NONE))
      && boundary(c, base_img<F>, with_header<F>(field::e_machine, m + 1u), bad(m + 1))
      && c(with_header<F>(field::e_machine, m - 1u), bad(m - 1))
      && c(with_header<F>(field::e_machine, F::is_64 ? elf::EM_AARCH64 : elf::EM_RISCV), bad(F::is_64 ? elf::EM_AARCH64 : elf::EM_RISCV))
      && c(with_header<F>(field::e_machine, 0xffff), bad(0xffff));
}
EXTLOAD_MALFORMED_CASE(c04_machine, "4 e_machine of another architecture")

// e_flags are processor-specific (gABI "ELF Header"): the relocation set decides (accepts_flags in
// arch/*.hpp), and the loader asks it in parse_all, before the first allocation, answering
// bad_machine/e_flags with the flags as the value. x86-64 defines no flags (any value loads).
// ARM (AAELF32 §5.2): EABI version 5, no BE8, not both float ABIs. RISC-V (psABI "File
// Header"): the float ABI and RVE bits must be the firmware's ABI (riscv32 = ilp32, or
// riscv<riscv_abi::...>); RVC and TSO are not checked. The ELF32 loads use the prelink allocator
// at a 32-bit address, wrapped to count allocation calls.
} // namespace (reopened below: this region needs the ARM and RISC-V sets)

#include "extload/alloc/prelink.hpp"
#include "extload/arch/arm.hpp"
#include "extload/arch/riscv.hpp"

namespace {

struct counted_prelink {
  prelink_allocator inner;
  std::uint64_t calls = 0;
  std::int64_t live = 0;
  result<region_block> allocate(region_request const& r, placement const& w) noexcept {
    ++calls;
    auto b = inner.allocate(r, w);
    live += b ? 1 : 0;
    return b;
  }
  errc seal(region_block& b) noexcept { return inner.seal(b); }
  void sync_caches(region_block& b) noexcept { inner.sync_caches(b); }
  void release(region_block& b) noexcept { --live; inner.release(b); }
  std::byte* allocate_metadata(std::size_t n, std::size_t a) noexcept {
    ++calls;
    std::byte* p = inner.allocate_metadata(n, a);
    live += p != nullptr ? 1 : 0;
    return p;
  }
  void free_metadata(std::byte* p, std::size_t n) noexcept { live -= p != nullptr ? 1 : 0; inner.free_metadata(p, n); }
};
static_assert(allocator<counted_prelink>);

found_symbol resolve_low(void*, byte_string) { return {0x2008'0000, true, symbol_kind::unknown}; }

// Load an ELF32 image through `Arch`; the diagnostic (ok when it loaded, then unloaded), how
// many allocation calls the load made, and whether everything was given back.
template <class Arch>
outcome load_elf32(std::span<std::byte const> bytes) {
  static std::byte buffer[1 << 16];
  counted_prelink a{prelink_allocator{buffer, 0x2000'0000}};
  no_exports<4> const none{};
  loader<elf32le, Arch, counted_prelink, no_exports<4>> ld{a, none};
  auto r = ld.load(bytes, load_options{resolver{&resolve_low, nullptr}});
  outcome o;
  o.calls = a.calls;
  if (r) ld.unload(*r);
  else o.error = r.error();
  o.clean = a.live == 0;
  return o;
}
template <class Arch>
bool flags_rejected(std::span<std::byte const> bytes, std::uint32_t flags) {
  outcome const o = load_elf32<Arch>(bytes);
  return is(o.error, {errc::bad_machine, field::e_flags, no_index, no_index, no_index, flags}) && o.error.object == 0 &&
         o.calls == 0 && o.clean;
}
template <class Arch>
bool flags_accepted(std::span<std::byte const> bytes) {
  outcome const o = load_elf32<Arch>(bytes);
  return o.loaded() && o.clean;
}

template <class F>
constexpr image<F> with_flags(image<F> img, std::uint32_t flags) {
  img.patch(other_field::e_flags, flags);
  return img;
}

using arm_t = arch::arm_traits;
static_assert(arch::arm::accepts_flags(arm_t::EF_ARM_EABI_VER5) && !arch::arm::accepts_flags(0) &&
              !arch::arm::accepts_flags(0x04000000) && !arch::arm::accepts_flags(0x06000000) &&
              !arch::arm::accepts_flags(arm_t::EF_ARM_EABI_VER5 | arm_t::EF_ARM_BE8) &&
              !arch::arm::accepts_flags(arm_t::EF_ARM_EABI_VER5 | arm_t::EF_ARM_ABI_FLOAT_SOFT | arm_t::EF_ARM_ABI_FLOAT_HARD));
static_assert(arch::x86_64::accepts_flags(0) && arch::x86_64::accepts_flags(0xffffffffu));

TEST_CASE("malformed: 4 e_flags the relocation set does not accept (ARM and RISC-V loaders; x86-64 defines none)") {
  // x86-64: any value.
  CHECK(try_load(with_flags(base_img<elf64le>, 0xffffffffu).view()).loaded());

  // ARM: the ELF32 base image is EM_ARM with REL relocations (malformed.hpp), built with e_flags 0.
  std::uint32_t const v5 = arm_t::EF_ARM_EABI_VER5;
  auto const arm_img = [](std::uint32_t f) { return with_flags(base_img<elf32le>, f); };
  CHECK(flags_rejected<arch::arm>(base_img<elf32le>.view(), 0)); // pre-EABI (GNU "version 0")
  CHECK(flags_accepted<arch::arm>(arm_img(v5).view()));          // what gas writes: 0x05000000
  CHECK(flags_rejected<arch::arm>(arm_img(0x04000000).view(), 0x04000000));
  CHECK(flags_rejected<arch::arm>(arm_img(0x06000000).view(), 0x06000000));
  CHECK(flags_accepted<arch::arm_m>(arm_img(v5 | arm_t::EF_ARM_ABI_FLOAT_SOFT).view()));
  CHECK(flags_accepted<arch::arm_linux>(arm_img(v5 | arm_t::EF_ARM_ABI_FLOAT_HARD).view()));
  CHECK(flags_rejected<arch::arm>(arm_img(v5 | arm_t::EF_ARM_ABI_FLOAT_SOFT | arm_t::EF_ARM_ABI_FLOAT_HARD).view(), 0x05000600));
  CHECK(flags_rejected<arch::arm>(arm_img(v5 | arm_t::EF_ARM_BE8).view(), 0x05800000));

  // RISC-V: a function and nothing to relocate, for each float ABI / RVE combination.
  using T = arch::riscv_types;
  auto const rv = [](std::uint32_t f) {
    return elf_builder<elf32le>{}
        .machine(elf::EM_RISCV)
        .flags(f)
        .section(".text", elf::SHT_PROGBITS, AX, bytes{0x67, 0x80, 0x00, 0x00}, 4) // ret
        .symbol("entry", elf::STB_GLOBAL, elf::STT_FUNC, ".text", 0, 4)
        .template build<capacity>();
  };
  using ilp32 = arch::riscv32;
  using ilp32e = arch::riscv<arch::riscv_abi::ilp32e>;
  using ilp32d = arch::riscv<arch::riscv_abi::ilp32d>;
  CHECK(flags_accepted<ilp32>(rv(0).view()));
  CHECK(flags_accepted<ilp32>(rv(T::EF_RISCV_RVC).view())); // what -march=rv32imac -mabi=ilp32 writes
  CHECK(flags_accepted<ilp32>(rv(T::EF_RISCV_RVC | T::EF_RISCV_TSO).view()));
  CHECK(flags_rejected<ilp32>(rv(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_SINGLE).view(), 0x3));
  CHECK(flags_rejected<ilp32>(rv(T::EF_RISCV_FLOAT_ABI_DOUBLE).view(), 0x4));
  CHECK(flags_rejected<ilp32>(rv(T::EF_RISCV_FLOAT_ABI_QUAD).view(), 0x6));
  CHECK(flags_rejected<ilp32>(rv(T::EF_RISCV_RVC | T::EF_RISCV_RVE).view(), 0x9));
  CHECK(flags_accepted<ilp32e>(rv(T::EF_RISCV_RVC | T::EF_RISCV_RVE).view()));
  CHECK(flags_rejected<ilp32e>(rv(T::EF_RISCV_RVC).view(), 0x1));
  CHECK(flags_accepted<ilp32d>(rv(T::EF_RISCV_RVC | T::EF_RISCV_FLOAT_ABI_DOUBLE).view()));
  CHECK(flags_rejected<ilp32d>(rv(T::EF_RISCV_RVC).view(), 0x1));
  CHECK(flags_rejected<ilp32d>(rv(T::EF_RISCV_FLOAT_ABI_DOUBLE | T::EF_RISCV_RVE).view(), 0xc));
}

// --- 5. e_shentsize --------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c05_shentsize(Check const& c) {
  auto bad = [](std::int64_t v) {
    return want{errc::bad_header, field::e_shentsize, no_index, no_index, no_index, v, shdr<F>, shdr<F>};
  };
  return c(with_header<F>(field::e_shentsize, 0), bad(0))
      && c(with_header<F>(field::e_shentsize, 1), bad(1))
      && c(with_header<F>(field::e_shentsize, shdr<F> - 1), bad(shdr<F> - 1))
      && boundary(c, base_img<F>, with_header<F>(field::e_shentsize, shdr<F> + 1), bad(shdr<F> + 1))
      && c(with_header<F>(field::e_shentsize, 2 * shdr<F>), bad(2 * shdr<F>))
      && c(with_header<F>(field::e_shentsize, 0xffff), bad(0xffff));
}
EXTLOAD_MALFORMED_CASE(c05_shentsize, "5 e_shentsize 0, smaller, larger than sizeof(Elf_Shdr)")

// --- 6. section table outside the file ---------------------------------------------------------------
template <class F, class Check>
constexpr bool c06_table_outside(Check const& c) {
  auto const size = static_cast<std::int64_t>(base_img<F>.size());
  auto const shoff = base_img<F>.layout.shoff;
  auto past = [](std::int64_t v) { return want{errc::truncated, field::e_shoff, no_index, no_index, no_index, v}; };
  auto table = [](std::int64_t n, std::int64_t fit) {
    return want{errc::truncated, field::e_shnum, no_index, no_index, no_index, n, 0, fit};
  };
  std::uint64_t const max_off = F::is_64 ? ~std::uint64_t{0} : 0xffffffffu;
  bool ok_ = c(with_header<F>(field::e_shoff, 0), {errc::bad_header, field::e_shoff, no_index, no_index, no_index, 0})
      && c(with_header<F>(field::e_shoff, static_cast<std::uint64_t>(size)), past(size))
      && c(with_header<F>(field::e_shoff, static_cast<std::uint64_t>(size) - shdr<F> + 1), past(size - static_cast<std::int64_t>(shdr<F>) + 1))
      && c(with_header<F>(field::e_shoff, max_off), past(static_cast<std::int64_t>(max_off)))
      // Wraps when e_shnum * e_shentsize is added in the offset's own width.
      && c(with_header<F>(field::e_shoff, max_off - shdr<F> + 1), past(static_cast<std::int64_t>(max_off - shdr<F> + 1)))
      // The table starts in the file but does not end in it.
      && boundary(c, base_img<F>, with_header<F>(field::e_shoff, shoff + 1), table(idx::shnum, idx::shnum - 1))
      && boundary(c, base_img<F>, with_header<F>(field::e_shnum, idx::shnum + 1), table(idx::shnum + 1, idx::shnum))
      && c(with_header<F>(field::e_shnum, 0xff), table(0xff, idx::shnum))
      && c(with_header<F>(field::e_shnum, 0xfeff), table(0xfeff, idx::shnum));
  return ok_;
}
EXTLOAD_MALFORMED_CASE(c06_table_outside, "6 section table outside the file: e_shoff 0, past the end, wrapping, e_shnum too large")

// --- 7. misaligned table and data: decoded byte-wise, so accepted (constant evaluation proves no UB)
template <class F, class Check>
constexpr bool c07_misaligned(Check const& c) {
  image<F> table1 = base_img<F>, table3 = base_img<F>, symtab = base_img<F>, rel = base_img<F>, text = base_img<F>;
  shift_section_table(table1, 1);
  shift_section_table(table3, 3);
  move_section_data(symtab, idx::symtab, symtab.size() + 1);
  move_section_data(rel, idx::rel_text, rel.size() + 3);
  move_section_data(text, idx::text, text.size() + 5);
  image<F> all = table1;
  move_section_data(all, idx::symtab, all.size() + 1);
  move_section_data(all, idx::strtab, all.size() + 1);
  move_section_data(all, idx::rel_data, all.size() + 1);
  return c(table1, accepted) && c(table3, accepted) && c(symtab, accepted) && c(rel, accepted) && c(text, accepted)
      && c(all, accepted);
}
EXTLOAD_MALFORMED_CASE(c07_misaligned, "7 misaligned e_shoff, symbol table, relocations and section data are decoded byte-wise")

// --- 8. extended numbering -------------------------------------------------------------------------
template <class F>
constexpr image<F> extended() { return base_builder<F>().extended_numbering().template build<capacity>(); }
template <class F>
inline constexpr image<F> ext_img = extended<F>();
template <class F>
constexpr image<F> ext_with(field f, std::uint64_t v) {
  image<F> img = ext_img<F>;
  img.patch_section(0, f, v);
  return img;
}
template <class F, class Check>
constexpr bool c08_extended(Check const& c) {
  auto count = [](std::int64_t v) { return want{errc::bad_header, field::e_shnum, no_index, no_index, no_index, v}; };
  auto table = [](std::int64_t n) { return want{errc::truncated, field::e_shnum, no_index, no_index, no_index, n, 0, idx::shnum}; };
  auto shstr = [](std::int64_t v) { return want{errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, v}; };
  image<F> no_table = ext_img<F>;
  no_table.patch(field::e_shoff, 0);
  std::uint64_t const max_size = F::is_64 ? ~std::uint64_t{0} : 0xffffffffu;
  return c(ext_img<F>, accepted)
      && ext_img<F>.get(field::e_shnum) == 0 && ext_img<F>.get(field::e_shstrndx) == elf::SHN_XINDEX
      && c(no_table, {errc::bad_header, field::e_shoff, no_index, no_index, no_index, 0})
      && c(ext_with<F>(field::sh_size, 0), count(0))
      && boundary(c, ext_with<F>(field::sh_size, idx::shnum), ext_with<F>(field::sh_size, idx::shnum + 1), table(idx::shnum + 1))
      && c(ext_with<F>(field::sh_size, 0xffff), table(0xffff))
      // LLVM's border values: counts whose table size overflows 64 bits when multiplied.
      && c(ext_with<F>(field::sh_size, 0xffffffffu), {errc::limit_exceeded, field::e_shnum, no_index, no_index, no_index, 0xffffffff, 0, limits{}.max_sections})
      && (!F::is_64 || c(ext_with<F>(field::sh_size, 288230376151711743u), count(static_cast<std::int64_t>(288230376151711743u))))
      && (!F::is_64 || c(ext_with<F>(field::sh_size, 288230376151711744u), count(static_cast<std::int64_t>(288230376151711744u))))
      && c(ext_with<F>(field::sh_size, max_size), F::is_64 ? count(-1) : want{errc::limit_exceeded, field::e_shnum, no_index, no_index, no_index, 0xffffffff, 0, limits{}.max_sections})
      // e_shstrndx == SHN_XINDEX: the real index is section 0's sh_link.
      && boundary(c, ext_with<F>(field::sh_link, idx::shstrtab), ext_with<F>(field::sh_link, idx::shnum),
                  {errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, idx::shnum, 1, idx::shnum - 1})
      && c(ext_with<F>(field::sh_link, 0), {errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, 0, 1, idx::shnum - 1})
      && c(ext_with<F>(field::sh_link, 0xffffffffu), shstr(0xffffffff))
      && c(ext_with<F>(field::sh_link, idx::symtab), shstr(idx::symtab));
}
EXTLOAD_MALFORMED_CASE(c08_extended, "8 extended numbering: section 0's sh_size (0, count+1, LLVM border values) and sh_link")

// --- 9. e_shstrndx ------------------------------------------------------------------------------------
template <class F, class Check>
constexpr bool c09_shstrndx(Check const& c) {
  auto range = [](std::int64_t v) { return want{errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, v, 1, idx::shnum - 1}; };
  // The last valid index: .shstrtab moved to the end of the table is what the base already has.
  return c(with_header<F>(field::e_shstrndx, elf::SHN_UNDEF), range(0))
      && boundary(c, base_img<F>, with_header<F>(field::e_shstrndx, idx::shnum), range(idx::shnum))
      && c(with_header<F>(field::e_shstrndx, elf::SHN_LORESERVE), range(elf::SHN_LORESERVE))
      && c(with_header<F>(field::e_shstrndx, 0xfffe), range(0xfffe))
      // An index in range, of a section that is not a string table.
      && c(with_header<F>(field::e_shstrndx, idx::symtab), {errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, idx::symtab})
      && c(with_header<F>(field::e_shstrndx, idx::text), {errc::bad_header, field::e_shstrndx, no_index, no_index, no_index, idx::text});
}
EXTLOAD_MALFORMED_CASE(c09_shstrndx, "9 e_shstrndx SHN_UNDEF, >= e_shnum, reserved, not a string table")

// --- 10. section 0 not null ---------------------------------------------------------------------------
// gABI: section 0 is all zero, except sh_size (e_shnum == 0) and sh_link (e_shstrndx ==
// SHN_XINDEX) under extended numbering; any other field set is bad_section at section 0.
template <class F>
constexpr image<F> sec0(field f, std::uint64_t v) {
  image<F> img = base_img<F>;
  img.patch_section(0, f, v);
  return img;
}
template <class F, class Check>
constexpr bool c10_section0(Check const& c) {
  auto bad = [](field f, std::int64_t v) { return want{errc::bad_section, f, 0, no_index, no_index, v}; };
  image<F> addr = base_img<F>;
  addr.patch_section(0, other_field::sh_addr, 0x1000);
  return c(sec0<F>(field::sh_type, elf::SHT_PROGBITS), bad(field::sh_type, elf::SHT_PROGBITS))
      && c(sec0<F>(field::sh_flags, elf::SHF_ALLOC), bad(field::sh_flags, elf::SHF_ALLOC))
      && c(sec0<F>(field::sh_size, 5), bad(field::sh_size, 5))        // not extended numbering: must be 0
      && c(sec0<F>(field::sh_link, idx::text), bad(field::sh_link, idx::text)) // e_shstrndx is not SHN_XINDEX
      && c(sec0<F>(field::sh_offset, 64), bad(field::sh_offset, 64))
      && c(sec0<F>(field::sh_info, 1), bad(field::sh_info, 1))
      && c(sec0<F>(field::sh_name, 1), bad(field::sh_name, 1))
      && c(sec0<F>(field::sh_addralign, 3), bad(field::sh_addralign, 3))
      && c(sec0<F>(field::sh_entsize, 4), bad(field::sh_entsize, 4))
      && c(addr, {errc::bad_section, field::none, 0, no_index, no_index, 0x1000});
}
EXTLOAD_MALFORMED_CASE(c10_section0, "10 section 0 with a type, flags, size, link, offset, info, name, alignment or address")

// --- 11. program-header fields: an ET_REL loader never reads them, so they cannot misparse --------
template <class F, class Check>
constexpr bool c11_program_headers(Check const& c) {
  image<F> a = base_img<F>, b = base_img<F>, d = base_img<F>;
  a.patch(other_field::e_phoff, 0xffffff).patch(other_field::e_phnum, 0xffff).patch(other_field::e_phentsize, 12336);
  b.patch(other_field::e_phentsize, 57).patch(other_field::e_phnum, 1);
  d.patch(other_field::e_entry, F::is_64 ? ~std::uint64_t{0} : 0xffffffffu); // no entry point in ET_REL
  return c(a, accepted) && c(b, accepted) && c(d, accepted);
}
EXTLOAD_MALFORMED_CASE(c11_program_headers, "11 program-header and e_entry fields of an ET_REL are never read")

} // namespace
