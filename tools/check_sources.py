#!/usr/bin/env python3
"""Source checks for include/ (run by `meson test`; Python standard library only).

Modes (paths are relative to the repository root; run from anywhere):
  --forbidden        fail on `reinterpret_cast` outside REINTERPRET_CAST_ALLOWED, on `memcpy(`
                     outside MEMCPY_ALLOWED (code only: comments and string literals are
                     ignored), and on TODO / FIXME anywhere (comments included). STYLE.md R9:
                     image bytes are read byte-wise through extload/bytes.hpp, never by casts.
  --umbrella         fail unless include/extload/extload.hpp reaches every public header
                     (through #include "extload/...") and reaches no host-only header (host_*).
  --list-headers     print every header under include/extload/, relative to include/, sorted.
  --compile-header HEADER -- COMPILER [ARGS...]
                     compile a TU that includes HEADER twice, alone, with -fsyntax-only.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "include"

# The address -> function pointer cast, and firmware function addresses in the export table.
REINTERPRET_CAST_ALLOWED = {
    "include/extload/loader/entry.hpp",
    "include/extload/symbols/export_table.hpp",
}
MEMCPY_ALLOWED = set()

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*[<"](extload/[^">]+)[">]', re.MULTILINE)


def headers():
    return sorted(p.relative_to(INCLUDE).as_posix() for p in (INCLUDE / "extload").rglob("*.hpp"))


def is_host_only(header):
    return Path(header).name.startswith("host_")


def strip_comments_and_strings(text):
    """Blank out comments and string/char literals, keeping line structure (for line numbers)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == 'R' and text.startswith('R"', i):
            m = re.match(r'R"([^(\s]*)\(', text[i:])
            if m:
                end = text.find(")" + m.group(1) + '"', i)
                j = n if end < 0 else end + len(m.group(1)) + 2
                out.append(re.sub(r"[^\n]", " ", text[i:j]))
                i = j
            else:
                out.append(c)
                i += 1
        elif c in "\"'":
            if c == "'" and i > 0 and (text[i - 1].isalnum()):
                out.append(c)  # digit separator (1'000) or an identifier-adjacent quote
                i += 1
                continue
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + " " * (j - i - 2) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def forbidden():
    rules = [
        ("reinterpret_cast", re.compile(r"\breinterpret_cast\b"), True, REINTERPRET_CAST_ALLOWED,
         "image bytes are read through extload/bytes.hpp (STYLE.md R9)"),
        ("memcpy(", re.compile(r"memcpy\s*\("), True, MEMCPY_ALLOWED,
         "no memcpy into structs: decode fields byte-wise (STYLE.md R9)"),
        ("TODO/FIXME", re.compile(r"\b(TODO|FIXME)\b"), False, set(),
         "unfinished work does not ship in include/"),
    ]
    findings = []
    scanned = 0
    for header in headers():
        rel = f"include/{header}"
        raw = (INCLUDE / header).read_text(encoding="utf-8")
        code = strip_comments_and_strings(raw)
        scanned += 1
        for name, rx, code_only, allowed, why in rules:
            if rel in allowed:
                continue
            text = code if code_only else raw
            raw_lines = raw.splitlines()
            for lineno, line in enumerate(text.splitlines(), 1):
                if rx.search(line):
                    findings.append((rel, lineno, name, why, raw_lines[lineno - 1].strip()))
    for rel, lineno, name, why, src in findings:
        print(f"{rel}:{lineno}: forbidden {name} ({why}):\n    {src}")
    allowed = ", ".join(sorted(REINTERPRET_CAST_ALLOWED))
    print(f"scanned {scanned} headers; reinterpret_cast allowed only in: {allowed}; "
          f"memcpy allowed in: {', '.join(sorted(MEMCPY_ALLOWED)) or 'nothing'}")
    if findings:
        print(f"FAILED: {len(findings)} finding(s)")
        return 1
    print("OK: no forbidden constructs")
    return 0


def umbrella():
    umbrella_header = "extload/extload.hpp"
    reached, stack, missing = set(), [umbrella_header], []
    while stack:
        h = stack.pop()
        if h in reached:
            continue
        reached.add(h)
        path = INCLUDE / h
        if not path.is_file():
            missing.append(h)
            continue
        stack.extend(INCLUDE_RE.findall(path.read_text(encoding="utf-8")))
    problems = []
    for h in missing:
        problems.append(f"include/{h} is included (directly or not) by the umbrella but does not exist")
    for h in headers():
        if h == umbrella_header:
            continue
        if is_host_only(h) and h in reached:
            problems.append(f"include/{h} is host-only but reachable from include/{umbrella_header}")
        elif not is_host_only(h) and h not in reached:
            problems.append(f"include/{h} is not reachable from include/{umbrella_header}: "
                            "add it to the umbrella's explicit list")
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        return 1
    print(f"OK: the umbrella reaches all {len(reached) - 1} public headers and no host-only header")
    return 0


def compile_header(header, command):
    if not command:
        print("--compile-header needs: HEADER -- COMPILER [ARGS...]")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        tu = Path(tmp) / "header_alone.cpp"
        # Twice: the second include must be a no-op (#pragma once).
        tu.write_text(f"#include <{header}>\n#include <{header}>\n", encoding="utf-8")
        cmd = list(command) + ["-fsyntax-only", str(tu)]
        print(" ".join(cmd), flush=True)
        r = subprocess.run(cmd)
        print(f"{header}: {'compiles alone' if r.returncode == 0 else 'does NOT compile alone'}")
        return 0 if r.returncode == 0 else 1


def main(argv):
    if argv[:1] == ["--forbidden"] and len(argv) == 1:
        return forbidden()
    if argv[:1] == ["--umbrella"] and len(argv) == 1:
        return umbrella()
    if argv[:1] == ["--list-headers"] and len(argv) == 1:
        print("\n".join(headers()))
        return 0
    if argv[:1] == ["--compile-header"] and len(argv) >= 3 and argv[2] == "--":
        return compile_header(argv[1], argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
