#!/usr/bin/env bash
# The footprint of a minimal Cortex-M4 firmware loader (issue 5: target <= 3 KiB of .text), and
# how it grows as relocation types and features are added. Builds tools/footprint/firmware.cpp in
# seven variants (see that file) with arm-none-eabi-g++ -Os -mthumb -mcpu=cortex-m4, newlib-nano,
# --gc-sections, and prints .text/.rodata/.data/.bss of each linked image, the growth over the
# loader-less baseline, where the minimal loader's .text goes (by component, from
# arm-none-eabi-nm) and its largest functions. Prints; never fails on the numbers (CI runs it for
# the record). Takes ~20 s.
# Usage: tools/footprint.sh
set -euo pipefail
cd "$(dirname "$0")/.."

cxx=arm-none-eabi-g++
if ! command -v $cxx >/dev/null 2>&1; then
  echo "footprint.sh: $cxx not found (apt-get install gcc-arm-none-eabi libstdc++-arm-none-eabi-newlib libnewlib-arm-none-eabi); nothing measured"
  exit 0
fi
if [[ ! -f include/extload/arch/arm.hpp ]]; then
  echo "footprint.sh: include/extload/arch/arm.hpp does not exist yet (the ARM relocation set); nothing measured"
  exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Boost (Hana) as a system header without -isystem /usr/include, which would put glibc's headers
# in front of newlib's (docs TOOLCHAIN.md §5): a directory holding only a `boost` symlink.
mkdir "$tmp/sysinc"
ln -s /usr/include/boost "$tmp/sysinc/boost"

flags=(-std=c++20 -Os -mthumb -mcpu=cortex-m4 -fno-exceptions -fno-rtti -fno-threadsafe-statics
       -ffunction-sections -fdata-sections -Wall -Wextra -Wpedantic -Werror
       -Iinclude -isystem "$tmp/sysinc")
link=(--specs=nano.specs --specs=nosys.specs "-Wl,--gc-sections")

$cxx "${flags[@]}" -c tools/footprint/board.cpp -o "$tmp/board.o"
for v in 0 1 2 3 4 5 6; do
  $cxx "${flags[@]}" -DFOOTPRINT_VARIANT=$v tools/footprint/firmware.cpp "$tmp/board.o" "${link[@]}" -o "$tmp/fw$v.elf"
  arm-none-eabi-size -A "$tmp/fw$v.elf" >"$tmp/fw$v.size"
  arm-none-eabi-nm -C -S --size-sort "$tmp/fw$v.elf" >"$tmp/fw$v.nm"
done

python3 - "$tmp" "$($cxx --version | head -1)" <<'EOF'
import re, sys
tmp, compiler = sys.argv[1], sys.argv[2]
labels = {
    0: "baseline: board + main, no loader",
    1: "minimal: tiny engine, 3 types, SLID imports",
    2: "tiny engine, 8 types, names, ctors",
    3: "full engine, 6 Thumb/data types",
    4: "full engine, full ARM set (arch::arm)",
    5: "+ 2-object link, ctors/dtors, exports walk",
    6: "+ diagnostics as text (describe.hpp)",
}

def sections(v):
    out = {}
    for line in open(f"{tmp}/fw{v}.size"):
        f = line.split()
        if len(f) >= 2 and f[0] in (".text", ".rodata", ".data", ".bss"):
            out[f[0]] = int(f[1])
    return out

def symbols(v):
    syms = []
    for line in open(f"{tmp}/fw{v}.nm"):
        m = re.match(r"([0-9a-f]+) ([0-9a-f]+) (\w) (.*)", line.rstrip("\n"))
        if m:
            syms.append((int(m.group(2), 16), m.group(3), m.group(4)))
    return syms

def arena_bytes(v):
    return sum(s for s, t, n in symbols(v) if t in "bB" and re.search(r"\barena$", n))

COMPONENTS = [
    ("tiny engine (tiny/thumb_loader.hpp)", r"tiny::thumb_loader|tiny::module"),
    ("tiny::stack_arena allocator", r"tiny::stack_arena"),
    ("ELF parsing and validation (object_view)", r"object_view"),
    ("linker phases (loader/link.hpp)", r"\blinker<|loader<"),
    ("relocation howtos (arch/arm.hpp, reloc_set)", r"arm_howto|reloc_set|arch::"),
    ("static_arena allocator", r"arena"),
    ("export table lookup (SLID / name)", r"export_table|find_slid|find_name|export_entry|address_of"),
    ("extension record lookups (find, exports)", r"extload::v0::extension"),
    ("diagnostic text (describe.hpp)", r"describe|to_string"),
    ("libstdc++ algorithms (std::sort etc.)", r"^(void |bool )?std::|__gnu_cxx"),
    ("libgcc 64-bit arithmetic", r"^__(aeabi_|udiv|div|mod|umod|ashl|ashr|lshr|clz|ctz|muldi)"),
    ("C library (memcpy, memmove, memset, strlen)", r"^(memcpy|memmove|memset|strlen|memcmp)$"),
]

def component(name):
    for label, rx in COMPONENTS:
        if re.search(rx, name):
            return label
    return "startup, board, main, other"

def by_component(v):
    acc = {}
    for size, t, name in symbols(v):
        if t in "tTwW":
            acc[component(name)] = acc.get(component(name), 0) + size
    return acc

def short(name):
    prev = None
    while prev != name:
        prev = name
        name = re.sub(r"<[^<>]*>", "\x01", name)  # innermost template argument lists first
    name = re.sub(r"\([^()]*\)( const)?$", "()", name.replace("\x01", "<>"))
    return name.replace("extload::v0::", "")

print(f"Cortex-M4 footprint, bytes ({compiler}; -Os -mthumb -mcpu=cortex-m4 -fno-exceptions -fno-rtti,")
print("newlib-nano + nosys, -ffunction-sections -fdata-sections -Wl,--gc-sections; .bss excludes the 8 KiB arena)")
base = sections(0)
print(f"{'variant':<50} {'.text':>7} {'.rodata':>8} {'.data':>6} {'.bss':>6}   {'+.text':>7} {'+.rodata':>8}")
for v in range(7):
    s = sections(v)
    bss = s.get(".bss", 0) - arena_bytes(v)
    dt = s.get(".text", 0) - base.get(".text", 0)
    dr = s.get(".rodata", 0) - base.get(".rodata", 0)
    extra = "" if v == 0 else f"   {dt:>+7} {dr:>+8}"
    print(f"{v} {labels[v]:<48} {s.get('.text', 0):>7} {s.get('.rodata', 0):>8} {s.get('.data', 0):>6} {bss:>6}{extra}")

minimal = sections(1).get(".text", 0) - base.get(".text", 0)
verdict = "met" if minimal <= 3072 else "MISS"
print(f"\ntarget: minimal loader <= 3 KiB (3072 B) of .text: {verdict} ({minimal} B = {minimal / 1024:.1f} KiB over the baseline)")

print("\nwhere the minimal loader's .text goes (variant 1 minus baseline, by component):")
c1, c0 = by_component(1), by_component(0)
rows = sorted(((c1.get(k, 0) - c0.get(k, 0), k) for k in set(c1) | set(c0)), reverse=True)
for size, k in rows:
    if size:
        print(f"  {k:<48} {size:>7}")
print("\nlargest functions of variant 1 (arm-none-eabi-nm --size-sort):")
fns = sorted(((s, n) for s, t, n in symbols(1) if t in "tTwW"), reverse=True)[:12]
for size, name in fns:
    print(f"  {size:>6}  {short(name)[:110]}")
EOF
