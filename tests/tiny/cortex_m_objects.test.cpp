// tests/tiny/cortex_m_objects.test.cpp: the tiny engine (tiny/thumb_loader.hpp) on the real
// Cortex-M objects arm-none-eabi-gcc builds for tests/cross_objects/arm (variants m4, m4
// pure-code and m0 of interwork.c and tests/objects/{calls,switch,weak,ctors,align}.c), on the
// host, with the default options and relocation set, as a board would use it. Each object must
// load into a stack_arena linked at 0x2000'0000 with the firmware 512 MiB away (one veneer per
// imported function that is called, no more), and at 0x0000'8000 near the firmware (no veneer);
// with every import's SLID written into its st_value and imports by SLID only, the loaded bytes
// must be those of the load by name; every entry point tests/cortex_m/firmware.cpp calls must be
// found with its kind; and after each unload the arena must be empty. tests/cortex_m runs the
// same objects on an emulated Cortex-M4; this test needs no emulator and says which object and
// which step fails.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/arm_objects.hpp"

#include "extload/byte_order.hpp"
#include "extload/elf/constants.hpp"
#include "extload/symbols/slid.hpp"
#include "extload/tiny/stack_arena.hpp"
#include "extload/tiny/thumb_loader.hpp"

namespace {

namespace el = extload::elf;
using extload::found_symbol;
using extload::symbol_kind;
using extload::tiny::fault;
using extload::tiny::module;
using extload::tiny::thumb_options;

using extload::test::all_arm_objects;
using extload::test::arm_object;

bool m_profile(arm_object const& o) { return o.variant == "m4" || o.variant == "m0"; }

// ---- The firmware's exports (tests/objects/firmware.h, and the libc/libgcc helpers) -----------
// Functions at 0x0000'1001 + 0x100 * k (Thumb: bit 0 set), data at 0x0000'1000 + 0x100 * k.
struct export_row {
  std::string name;
  std::uint64_t address;
  symbol_kind kind;
  std::uint64_t slid;
};
struct firmware_exports {
  static constexpr std::size_t slid_bytes = 4;
  std::vector<export_row> rows;

  found_symbol find_by_name(extload::byte_string name) const noexcept {
    for (auto const& r : rows)
      if (name == std::string_view{r.name}) return {r.address, true, r.kind};
    return {};
  }
  found_symbol find_by_slid(std::uint64_t slid) const noexcept {
    for (auto const& r : rows)
      if (r.slid == slid) return {r.address, true, r.kind};
    return {};
  }
  std::size_t size() const noexcept { return rows.size(); }
};
static_assert(extload::export_table<firmware_exports>);

firmware_exports const& exports() {
  static firmware_exports const table = [] {
    struct name_kind {
      char const* name;
      bool function;
    };
    constexpr name_kind names[] = {
        {"fw_add", true},  {"fw_log", true},   {"fw_apply", true},    {"fw_sum", true},     {"fw_make_big", true},
        {"fw_mix", true},  {"fw_mix_b", true}, {"fw_present", true},  {"fw_counter", false}, {"fw_table", false},
        {"fw_name", false}, {"fw_words", false}, {"memcpy", true},    {"memmove", true},    {"memset", true},
        {"memcmp", true},  {"__aeabi_uidivmod", true}, {"__aeabi_idivmod", true}, {"__aeabi_uidiv", true},
        {"__aeabi_idiv", true}, {"__gnu_thumb1_case_uqi", true}, {"__gnu_thumb1_case_sqi", true},
        {"__gnu_thumb1_case_uhi", true}, {"__gnu_thumb1_case_shi", true}, {"__gnu_thumb1_case_si", true},
    };
    firmware_exports t;
    std::uint64_t k = 0;
    for (auto const& n : names) {
      std::uint64_t const at = 0x1000 + 0x100 * k++;
      t.rows.push_back({n.name, n.function ? at | 1 : at, n.function ? symbol_kind::function : symbol_kind::object,
                        extload::slid_of<4>(std::string_view{n.name})});
    }
    return t;
  }();
  return table;
}

// ---- Reading the object (ELF32 little-endian), independently of the loader ------------------
std::uint32_t u16(std::vector<std::byte> const& b, std::size_t at) { return extload::load_at<std::uint16_t, std::endian::little>(b.data() + at); }
std::uint32_t u32(std::vector<std::byte> const& b, std::size_t at) { return extload::load_at<std::uint32_t, std::endian::little>(b.data() + at); }

struct elf_symbol {
  std::uint32_t index;
  std::string name;
  std::uint32_t value_at; // file offset of st_value
  std::uint32_t value;
  std::uint8_t bind, type;
  std::uint32_t shndx;
};
struct elf_reloc {
  std::uint32_t target; // section relocated
  std::uint32_t sym, type;
};
struct elf_view {
  std::vector<elf_symbol> symbols;
  std::vector<elf_reloc> relocs;
  std::vector<std::uint32_t> section_flags;
  std::vector<std::string> section_names;

  std::uint32_t section(std::string_view name) const {
    for (std::uint32_t i = 0; i < section_names.size(); ++i)
      if (section_names[i] == name) return i;
    return 0;
  }
  elf_symbol const* symbol(std::string_view name) const {
    for (auto const& s : symbols)
      if (s.name == name) return &s;
    return nullptr;
  }
};
elf_view parse(std::vector<std::byte> const& b) {
  elf_view v;
  std::uint32_t const shoff = u32(b, 32), shnum = u16(b, 48);
  auto sh = [&](std::uint32_t i, std::uint32_t at) { return u32(b, shoff + 40 * i + at); };
  auto string_at = [&](std::uint32_t at) {
    std::string name;
    for (std::uint32_t c = at; b[c] != std::byte{0}; ++c) name.push_back(static_cast<char>(b[c]));
    return name;
  };
  std::uint32_t const shstr = sh(u16(b, 50), 16);
  for (std::uint32_t i = 0; i < shnum; ++i) {
    v.section_flags.push_back(sh(i, 8));
    v.section_names.push_back(string_at(shstr + sh(i, 0)));
  }
  for (std::uint32_t i = 1; i < shnum; ++i) {
    if (sh(i, 4) == el::SHT_SYMTAB) {
      std::uint32_t const str = sh(sh(i, 24), 16);
      for (std::uint32_t k = 1; k < sh(i, 20) / 16; ++k) {
        std::uint32_t const e = sh(i, 16) + 16 * k;
        auto const info = std::to_integer<std::uint8_t>(b[e + 12]);
        v.symbols.push_back({k, string_at(str + u32(b, e)), e + 4, u32(b, e + 4), static_cast<std::uint8_t>(info >> 4),
                             static_cast<std::uint8_t>(info & 0xf), u16(b, e + 14)});
      }
    } else if (sh(i, 4) == el::SHT_REL) {
      for (std::uint32_t j = 0; j < sh(i, 20) / 8; ++j) {
        std::uint32_t const info = u32(b, sh(i, 16) + 8 * j + 4);
        v.relocs.push_back({sh(i, 28), info >> 8, info & 0xff});
      }
    }
  }
  return v;
}
bool is_import(elf_symbol const& s) { return s.shndx == el::SHN_UNDEF && s.bind != el::STB_LOCAL; }

// The imported functions a BL or B.W calls (from a loaded section): each needs one veneer when
// the firmware is out of reach. Weak imports the firmware does not export become no-ops instead.
std::size_t called_imports(elf_view const& v) {
  std::set<std::uint32_t> called;
  for (auto const& r : v.relocs) {
    if ((r.type != 10 && r.type != 30) || (v.section_flags[r.target] & el::SHF_ALLOC) == 0) continue; // THM_CALL, THM_JUMP24
    for (auto const& s : v.symbols)
      if (s.index == r.sym && is_import(s) && exports().find_by_name({static_cast<std::byte const*>(static_cast<void const*>(s.name.data())), s.name.size()}))
        called.insert(r.sym);
  }
  return called.size();
}

// The object with each import's SLID in st_value (what tools/inject_slids.py does).
std::vector<std::byte> with_slids(std::vector<std::byte> b, elf_view const& v) {
  for (auto const& s : v.symbols)
    if (is_import(s))
      extload::store_at<std::uint32_t, std::endian::little>(b.data() + s.value_at, static_cast<std::uint32_t>(extload::slid_of<4>(std::string_view{s.name})));
  return b;
}

// ---- Loading ------------------------------------------------------------------------------------
using far_arena = extload::tiny::stack_arena<256 * 1024, 8, 0x2000'0000>;
using near_arena = extload::tiny::stack_arena<256 * 1024, 8, 0x0000'8000>;

struct loaded {
  fault f{};
  std::vector<std::byte> memory;
  std::uint32_t veneers = 0;
  std::uint64_t address = 0;
  bool arena_empty_after_unload = false;
};

// Loads, runs `inspect(module)` while loaded, unloads.
template <class Arena, thumb_options O = thumb_options{}, class Inspect>
loaded load(Arena& a, std::vector<std::byte> const& image, Inspect&& inspect) {
  extload::tiny::thumb_loader<firmware_exports, Arena, O> ld{a, exports()};
  module m;
  loaded r;
  r.f = ld.load(image, m);
  if (r.f.ok()) {
    auto const mem = m.memory();
    r.memory.assign(mem.begin(), mem.end());
    r.veneers = m.veneers();
    r.address = m.address();
    inspect(m);
  }
  ld.unload(m);
  r.arena_empty_after_unload = a.blocks() == 0 && a.bytes_in_use() == 0;
  return r;
}
template <class Arena, thumb_options O = thumb_options{}>
loaded load(Arena& a, std::vector<std::byte> const& image) {
  return load<Arena, O>(a, image, [](module const&) {});
}

std::string text(fault const& f) {
  return "errc " + std::to_string(static_cast<int>(f.code)) + ", field " + std::to_string(static_cast<int>(f.what)) +
         ", section " + std::to_string(f.section) + ", symbol " + std::to_string(f.symbol) + ", relocation " +
         std::to_string(f.relocation) + ", type " + std::to_string(f.type) + ", value " + std::to_string(f.value);
}

// The entry points tests/cortex_m/firmware.cpp looks up, per source, with their kind.
struct entry_point {
  std::string_view source, name;
  bool function;
};
constexpr entry_point entry_points[] = {
    {"interwork", "iw_local", true},       {"interwork", "iw_callbacks", false}, {"interwork", "iw_apply_local", true},
    {"interwork", "iw_tail", true},        {"interwork", "iw_cond_tail", true},  {"interwork", "iw_bump", true},
    {"interwork", "iw_addresses", false},  {"interwork", "iw_switch", true},     {"interwork", "iw_maybe_cold", true},
    {"calls", "calls_square", true},       {"calls", "calls_add3", true},        {"calls", "calls_apply_triple", true},
    {"calls", "calls_apply_square", true}, {"calls", "calls_invoke", true},      {"calls", "calls_tail", true},
    {"calls", "calls_variadic", true},     {"calls", "calls_factorial", true},   {"calls", "calls_big", true},
    {"calls", "calls_copy", true},         {"switch", "sw_dense", true},         {"switch", "sw_apply", true},
    {"switch", "sw_apply_mut", true},      {"switch", "sw_op_max", true},        {"switch", "sw_ops", false},
    {"switch", "sw_ops_mut", false},       {"weak", "weak_call_maybe", true},    {"weak", "weak_data_maybe", true},
    {"weak", "weak_maybe_address", true},  {"weak", "weak_call_present", true},  {"weak", "weak_call_defined", true},
    {"ctors", "ctors_get_state", true},    {"align", "align_data", false},       {"align", "align_bss", false},
    {"align", "align_line", false},        {"align", "align_ro_addr", true},     {"align", "align_fn4k", true},
    {"align", "align_fn64", true},         {"align", "align_fn256", true},       {"align", "align_sum", true},
};

// ctors.c: the arrays in the block (offsets from the table at its end, thumb_loader.hpp "Layout
// of the block") in GNU ld's order, each entry the address of its (local) function: what
// bring_up() and tear_down() walk.
void check_constructor_order(module const& m, elf_view const& v) {
  auto const mem = m.memory();
  auto const shnum = static_cast<std::uint32_t>(v.section_names.size());
  auto word = [&](std::uint64_t at) { return extload::load_at<std::uint32_t, std::endian::little>(mem.data() + at); };
  auto place = [&](std::string_view section) { return word(mem.size() - 4 * shnum + 4 * v.section(section)); };
  auto address = [&](std::string_view fn) {
    elf_symbol const* s = v.symbol(fn);
    return s == nullptr ? 0 : static_cast<std::uint32_t>(m.address() + place(v.section_names[s->shndx]) + s->value);
  };
  std::uint64_t const pre = place(".preinit_array"), i101 = place(".init_array.00101"), i102 = place(".init_array.00102"),
                      init = place(".init_array"), f101 = place(".fini_array.00101"), f102 = place(".fini_array.00102"),
                      fini = place(".fini_array");
  CHECK(i101 == pre + 4);
  CHECK(i102 == i101 + 4);
  CHECK(init == i102 + 4);
  CHECK(f101 == init + 8);
  CHECK(f102 == f101 + 4);
  CHECK(fini == f102 + 4);
  CHECK(word(pre) == address("c_pre"));
  CHECK(word(i101) == address("c101"));
  CHECK(word(i102) == address("c102"));
  CHECK(word(init) + word(init + 4) == address("c_default") + address("c_explicit"));
  CHECK((word(init) == address("c_default") || word(init) == address("c_explicit")));
  CHECK(word(f101) == address("d101"));
  CHECK(word(f102) == address("d102"));
  CHECK(word(fini) + word(fini + 4) == address("d_default") + address("d_explicit"));
  CHECK((word(fini) == address("d_default") || word(fini) == address("d_explicit")));
  CHECK((address("c_pre") & 1) == 1); // Thumb entries
}

std::unique_ptr<far_arena> far_memory = std::make_unique<far_arena>();
std::unique_ptr<near_arena> near_memory = std::make_unique<near_arena>();

} // namespace

TEST_CASE("tiny on Cortex-M objects: each loads far from the firmware (veneers) and near it (none)") {
  std::size_t tested = 0;
  for (auto const& o : all_arm_objects) {
    if (!m_profile(o)) continue;
    ++tested;
    INFO(std::string{o.file});
    std::vector<std::byte> const image = extload::test::read_arm_object(o);
    REQUIRE(image.size() > 52);
    elf_view const v = parse(image);
    std::size_t const expected_veneers = called_imports(v);

    std::size_t found = 0;
    loaded const far = load(*far_memory, image, [&](module const& m) {
      for (auto const& e : entry_points) {
        if (e.source != o.source) continue;
        INFO(std::string{e.name});
        found_symbol const s = m.symbol(e.name);
        CHECK(s.found);
        CHECK(s.kind == (e.function ? symbol_kind::function : symbol_kind::object));
        CHECK(m.contains(s.address & ~std::uint64_t{1}));
        if (e.function) CHECK((s.address & 1) == 1); // Thumb
        found += s.found ? 1 : 0;
      }
      if (o.source == "ctors") check_constructor_order(m, v);
      // align.c: the alignments survive placement (block linked at 0x2000'0000).
      if (o.source == "align") {
        CHECK(m.symbol("align_data").address % 4096 == 0);
        CHECK(m.symbol("align_bss").address % 4096 == 0);
        CHECK(m.symbol("align_line").address % 64 == 0);
        CHECK((m.symbol("align_fn4k").address & ~std::uint64_t{1}) % 4096 == 0);
        CHECK((m.symbol("align_fn64").address & ~std::uint64_t{1}) % 64 == 0);
        CHECK((m.symbol("align_fn256").address & ~std::uint64_t{1}) % 256 == 0);
      }
    });
    INFO(text(far.f));
    CHECK(far.f.ok());
    CHECK(far.arena_empty_after_unload);
    CHECK(found > 0);
    CHECK(far.address == 0x2000'0000);
    CHECK(far.veneers == expected_veneers);
    CHECK(far.veneers > 0); // every source calls the firmware

    loaded const near = load(*near_memory, image);
    INFO(text(near.f));
    CHECK(near.f.ok());
    CHECK(near.veneers == 0);
    CHECK(near.arena_empty_after_unload);
  }
  CHECK(tested == 54); // 6 sources x (m4: 6 flag sets, m0: 3)
}

TEST_CASE("tiny on Cortex-M objects: imports by SLID only give the bytes of imports by name") {
  for (auto const& o : all_arm_objects) {
    if (!m_profile(o)) continue;
    INFO(std::string{o.file});
    std::vector<std::byte> const image = extload::test::read_arm_object(o);
    elf_view const v = parse(image);
    std::vector<std::byte> const slid_image = with_slids(image, v);
    for (int near = 0; near < 2; ++near) {
      loaded const by_name = near != 0 ? load(*near_memory, image) : load(*far_memory, image);
      loaded const by_slid = near != 0 ? load<near_arena, thumb_options{.import_by_name = false}>(*near_memory, slid_image)
                                       : load<far_arena, thumb_options{.import_by_name = false}>(*far_memory, slid_image);
      INFO(text(by_slid.f));
      REQUIRE(by_name.f.ok());
      CHECK(by_slid.f.ok());
      CHECK(by_slid.arena_empty_after_unload);
      CHECK(by_slid.veneers == by_name.veneers);
      CHECK(by_slid.memory == by_name.memory);
    }
    // Without the SLIDs, imports by SLID only find nothing: the first non-weak import is named.
    loaded const none = load<far_arena, thumb_options{.import_by_name = false}>(*far_memory, image);
    std::uint32_t first_strong = extload::no_index;
    for (auto const& s : v.symbols)
      if (is_import(s) && s.bind == el::STB_GLOBAL) {
        first_strong = s.index;
        break;
      }
    if (first_strong != extload::no_index) {
      CHECK(none.f.code == extload::errc::undefined_symbol);
      CHECK(none.f.what == extload::field::st_value);
      CHECK(none.f.symbol == first_strong);
    }
    CHECK(none.arena_empty_after_unload);
  }
}
