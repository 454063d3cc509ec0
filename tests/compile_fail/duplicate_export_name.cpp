// EXPECT: extload_error_duplicate_export_name
// Two exports with one name must not compile: the loader could resolve the name to either
// address. The consteval builder reaches the non-constexpr extload_error_duplicate_export_name()
// (STYLE.md R11), and the compiler's message names it.
#include "extload/symbols/export_table.hpp"

namespace {
int first_printk(char const*) { return 1; }
int second_printk(char const*) { return 2; }
} // namespace

constexpr auto board_exports = extload::make_export_table<4>(
    extload::export_function<"printk", &first_printk>,
    extload::export_function<"printk", &second_printk>);

int main() { return static_cast<int>(board_exports.size()); }
