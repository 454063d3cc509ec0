#!/usr/bin/env python3
"""Keep README.md's generated tables in sync with the code.

usage: readme_tables.py TABLE_PROGRAM [--check]
Runs TABLE_PROGRAM (tests/docs/reloc_table.cpp, built by meson as reloc_table) and puts its output
between the markers <!-- relocation-table:begin --> and <!-- relocation-table:end --> in README.md.
With --check, exits 1 if README.md differs and says how to regenerate it.
"""
import os
import subprocess
import sys

BEGIN, END = "<!-- relocation-table:begin -->", "<!-- relocation-table:end -->"


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    table = subprocess.run([sys.argv[1]], check=True, capture_output=True, text=True).stdout
    readme = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "README.md")
    text = open(readme).read()
    if BEGIN not in text or END not in text:
        print(f"README.md has no {BEGIN} ... {END} section")
        return 1
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    new = head + BEGIN + "\n" + table + END + tail
    if "--check" in sys.argv[2:]:
        if new != text:
            print("README.md's relocation table is out of date: run\n"
                  "  meson compile -C build-gcc reloc_table && python3 tools/readme_tables.py build-gcc/tests/reloc_table")
            return 1
        print("README.md relocation table: in sync")
        return 0
    open(readme, "w").write(new)
    print("README.md relocation table: written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
