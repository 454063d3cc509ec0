#!/usr/bin/env python3
"""Write each import's SLID into its st_value (LLEXT's SLID linking), for extload's SLID-only loads.

An extension linked by SLID carries no import names the firmware must match: the packaging step
writes, into st_value of every undefined global or weak symbol of the object's .symtab, the
symbol's SLID, the first 4 (ELF32) or 8 (ELF64) bytes of SHA-256(name) read big-endian (Zephyr's
scripts/build/llext_inject_slids.py; docs LLEXT.md section 4), in the object's byte order. The
firmware then needs no name strings: tiny::thumb_loader<..., thumb_options{.import_by_name =
false}> and extload::loader find imports by SLID in the export table (binary search).

Differences from Zephyr's script: weak imports and imports typed STT_FUNC/STT_OBJECT get a SLID
too (Zephyr: only STT_NOTYPE globals), so a weak import the firmware exports still resolves; an
st_value that already holds that symbol's SLID is left as it is (running twice is harmless); any
other non-zero st_value of an undefined symbol is an error (it is not ours to overwrite).

Usage: inject_slids.py IN.o OUT.o      (OUT may be IN)
Exit status 0 on success; 1 with a message naming the problem (not ELF, no .symtab, a bad field).
"""

import hashlib
import struct
import sys


def slid(name: bytes, width: int) -> int:
    return int.from_bytes(hashlib.sha256(name).digest()[:width], "big")


def fail(msg: str) -> int:
    print(f"inject_slids.py: {msg}", file=sys.stderr)
    return 1


def main(argv) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0])
        print("usage: inject_slids.py IN.o OUT.o")
        return 2
    data = bytearray(open(argv[1], "rb").read())
    if len(data) < 52 or data[:4] != b"\x7fELF":
        return fail(f"{argv[1]}: not an ELF file")
    wide = {1: False, 2: True}.get(data[4])
    order = {1: "<", 2: ">"}.get(data[5])
    if wide is None or order is None:
        return fail(f"{argv[1]}: e_ident: unknown class {data[4]} or data encoding {data[5]}")
    if wide and len(data) < 64:
        return fail(f"{argv[1]}: truncated ELF header")
    if wide:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
    if shentsize != (64 if wide else 40) or shoff + shnum * shentsize > len(data):
        return fail(f"{argv[1]}: e_shoff/e_shentsize/e_shnum: section headers outside the file")

    def section(i):
        at = shoff + i * shentsize
        if wide:
            _, typ, _, _, off, size, link, _, _, entsize = struct.unpack_from(order + "IIQQQQIIQQ", data, at)
        else:
            _, typ, _, _, off, size, link, _, _, entsize = struct.unpack_from(order + "IIIIIIIIII", data, at)
        return typ, off, size, link, entsize

    symtabs = [i for i in range(shnum) if section(i)[0] == 2]  # SHT_SYMTAB
    if len(symtabs) != 1:
        return fail(f"{argv[1]}: expected one .symtab, found {len(symtabs)}")
    _, off, size, link, entsize = section(symtabs[0])
    if entsize != (24 if wide else 16) or off + size > len(data) or link >= shnum:
        return fail(f"{argv[1]}: section {symtabs[0]} (.symtab): bad sh_entsize, sh_size or sh_link")
    _, str_off, str_size, _, _ = section(link)
    if str_off + str_size > len(data):
        return fail(f"{argv[1]}: section {link} (.strtab) outside the file")

    width = 8 if wide else 4
    injected = 0
    for i in range(1, size // entsize):
        at = off + i * entsize
        if wide:
            name, info, _, shndx, value = struct.unpack_from(order + "IBBHQ", data, at)
            value_at = at + 8
        else:
            name, value, _, info, _, shndx = struct.unpack_from(order + "IIIBBH", data, at)
            value_at = at + 4
        if shndx != 0 or (info >> 4) not in (1, 2):  # SHN_UNDEF; STB_GLOBAL, STB_WEAK
            continue
        if name >= str_size:
            return fail(f"{argv[1]}: symbol {i}: st_name {name} outside .strtab")
        end = data.find(b"\0", str_off + name, str_off + str_size)
        if end < 0:
            return fail(f"{argv[1]}: symbol {i}: name not terminated")
        sym = bytes(data[str_off + name:end])
        s = slid(sym, width)
        if value not in (0, s):
            return fail(f"{argv[1]}: symbol {i} ({sym.decode(errors='replace')}): st_value is {value:#x}, not 0")
        struct.pack_into(order + ("Q" if wide else "I"), data, value_at, s)
        injected += 1
    open(argv[2], "wb").write(data)
    print(f"inject_slids.py: {argv[2]}: {injected} imports carry their SLID")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
