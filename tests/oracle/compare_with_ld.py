#!/usr/bin/env python3
"""GNU ld as a differential oracle for extload (TOOLCHAIN.md §6).

usage: compare_with_ld.py PRELINK_EXE LD OBJCOPY OBJECT WORKDIR [--load ADDR] [--ld-flag FLAG ...]

1. PRELINK_EXE links OBJECT with extload at a fixed address and writes WORKDIR/<name>.{bin,ld,txt}.
2. LD links the same OBJECT with that script (every section at extload's address, every import
   defined at the address extload used).
3. OBJCOPY extracts each section from ld's output; it must equal extload's bytes.
Exits 0 when every section is identical, 1 otherwise (printing the first differing offset).
"""
import argparse
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("prelink")
    ap.add_argument("ld")
    ap.add_argument("objcopy")
    ap.add_argument("object")
    ap.add_argument("workdir")
    ap.add_argument("--load", default="0x100000")
    ap.add_argument("--ld-flag", action="append", default=[])
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    stem = os.path.join(a.workdir, os.path.basename(a.object).replace(".o", ""))
    r = subprocess.run([a.prelink, a.object, stem, a.load], capture_output=True, text=True)
    sys.stdout.write(r.stdout)
    if r.returncode != 0:
        sys.stdout.write(r.stderr)
        print(f"RESULT {a.object}: extload failed to link it")
        return 1
    linked = stem + ".ld.elf"
    r = subprocess.run([a.ld] + a.ld_flag + ["-T", stem + ".ld", a.object, "-o", linked], capture_output=True, text=True)
    if r.returncode != 0:
        sys.stdout.write(r.stderr)
        print(f"RESULT {a.object}: ld failed")
        return 1
    image = open(stem + ".bin", "rb").read()
    load = int(a.load, 0)
    ok = True
    compared = 0
    for line in open(stem + ".txt"):
        oname, addr, size, iname, nobits = line.split()
        addr, size = int(addr, 16), int(size)
        if nobits == "1" or size == 0:
            continue
        part = stem + oname + ".part"
        r = subprocess.run([a.objcopy, "-O", "binary", "--only-section=" + oname, linked, part], capture_output=True, text=True)
        if r.returncode != 0:
            sys.stdout.write(r.stderr)
            ok = False
            continue
        theirs = open(part, "rb").read()
        ours = image[addr - load: addr - load + size]
        compared += 1
        if theirs == ours:
            print(f"  {iname:24} @0x{addr:x} ({size} bytes): same")
        else:
            first = next((i for i in range(min(len(theirs), len(ours))) if theirs[i] != ours[i]), min(len(theirs), len(ours)))
            print(f"  {iname:24} @0x{addr:x} ({size} bytes): DIFFERENT at +0x{first:x}: ld {theirs[first:first+8].hex()} extload {ours[first:first+8].hex()}")
            ok = False
    print(f"RESULT {a.object}: {'IDENTICAL' if ok and compared else 'MISMATCH'} ({compared} sections)")
    return 0 if ok and compared else 1


if __name__ == "__main__":
    sys.exit(main())
