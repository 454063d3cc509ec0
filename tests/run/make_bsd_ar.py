#!/usr/bin/env python3
"""tests/run/make_bsd_ar.py: write a BSD-format static archive, for hosts without llvm-ar
(`llvm-ar --format=bsd` writes the same layout).

  make_bsd_ar.py [--no-index] OUTPUT MEMBER.o...

BSD ar(5): "!<arch>\\n"; each member a 60-byte header whose name is "#1/<len>" with the name
stored in front of the data (counted in ar_size); the symbol index is the first member,
"__.SYMDEF SORTED": u32 bytes of ranlib array, {u32 name offset, u32 member header offset}...,
u32 bytes of strings, strings (little-endian: the x86-64 target's byte order). Symbols come from
`nm --defined-only --extern-only`.
"""
import struct
import subprocess
import sys
from pathlib import Path


def header(name_len, size):
    h = f"#1/{name_len}".ljust(16) + "0".ljust(12) + "0".ljust(6) + "0".ljust(6) + "644".ljust(8) + str(size).ljust(10) + "`\n"
    assert len(h) == 60
    return h.encode()


def member(name, data):
    n = name.encode()
    n += b"\0" * ((-len(n)) % 8)
    body = n + data
    out = header(len(n), len(body)) + body
    return out + (b"\n" if len(body) % 2 else b"")


def symbols(path):
    out = subprocess.run(["nm", "--defined-only", "--extern-only", "-P", path], check=True, capture_output=True, text=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def main(argv):
    index = True
    if argv and argv[0] == "--no-index":
        index = False
        argv = argv[1:]
    output, inputs = argv[0], argv[1:]
    members = [(Path(p).name, Path(p).read_bytes(), symbols(p) if index else []) for p in inputs]
    blobs = [member(n, d) for n, d, _ in members]
    if index:
        names = [(s, i) for i, (_, _, syms) in enumerate(members) for s in syms]
        strings = b"".join(s.encode() + b"\0" for s, _ in names)
        strings += b"\0" * ((-len(strings)) % 4)
        def symdef(offsets):
            ranlib, strx = b"", 0
            for s, i in names:
                ranlib += struct.pack("<II", strx, offsets[i])
                strx += len(s) + 1
            return struct.pack("<I", len(ranlib)) + ranlib + struct.pack("<I", len(strings)) + strings
        size = len(member("__.SYMDEF SORTED", symdef([0] * len(members))))
        offsets, at = [], 8 + size
        for b in blobs:
            offsets.append(at)
            at += len(b)
        blobs.insert(0, member("__.SYMDEF SORTED", symdef(offsets)))
    Path(output).write_bytes(b"!<arch>\n" + b"".join(blobs))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
