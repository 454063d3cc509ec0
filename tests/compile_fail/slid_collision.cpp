// EXPECT: extload_error_slid_collision
// Two different names whose 4-byte SLIDs are equal must not compile: an extension linked by SLID
// could not tell them apart (Zephyr's llext_prepare_exptab.py only logs this and still exits 0).
//
// "sym_21994" and "sym_44835" both have the 4-byte SLID 0xB00DD016 (their 8-byte SLIDs differ:
// 0xB00DD016DCA7922A and 0xB00DD016AD0627F0). The pair was found by a birthday search with
// Python's hashlib: hash "sym_0", "sym_1", ... keeping a dict from sha256(name)[:4] to name, and
// stop at the first repeat (it came at n = 44835, as expected near sqrt(2^32) names):
//   seen = {}
//   for n in itertools.count():
//       name = f"sym_{n}"; k = hashlib.sha256(name.encode()).digest()[:4]
//       if k in seen: print(seen[k], name, k.hex()); break
//       seen[k] = name
#include "extload/symbols/export_table.hpp"

namespace {
int sym_a() { return 1; }
int sym_b() { return 2; }
} // namespace

// Sanity: the pair really collides in 4 bytes and not in 8 (so the 8-byte table below compiles).
static_assert(extload::slid_v<4, "sym_21994"> == 0xB00DD016u && extload::slid_v<4, "sym_44835"> == 0xB00DD016u);
static_assert(extload::slid_v<8, "sym_21994"> != extload::slid_v<8, "sym_44835">);
constexpr auto wide_exports = extload::make_export_table<8>(
    extload::export_function<"sym_21994", &sym_a>,
    extload::export_function<"sym_44835", &sym_b>);

constexpr auto narrow_exports = extload::make_export_table<4>(
    extload::export_function<"sym_21994", &sym_a>,
    extload::export_function<"sym_44835", &sym_b>);

int main() { return static_cast<int>(wide_exports.size() + narrow_exports.size()); }
