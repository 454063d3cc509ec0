#!/usr/bin/env python3
"""expect_compile_error.py: compile-fail test runner (STYLE.md R13, the cib idea).

usage: expect_compile_error.py <compiler> <source> [compiler args...]

The first line of <source> must be `// EXPECT: <text>`. The source is compiled with
`<compiler> -fsyntax-only [compiler args...] <source>`. Exit status:
  0  the compilation failed and the compiler's stderr contains <text>
  1  the compilation succeeded, or it failed without <text> in stderr
  2  usage error: no EXPECT line, empty EXPECT text, unreadable source, compiler not runnable
Python standard library only.
"""
import subprocess
import sys

EXPECT_PREFIX = "// EXPECT:"


def read_expectation(source):
    try:
        with open(source, encoding="utf-8") as f:
            first = f.readline()
    except OSError as e:
        raise SystemExit(f"expect_compile_error: cannot read {source}: {e.strerror}") from None
    first = first.rstrip("\r\n")
    if not first.startswith(EXPECT_PREFIX):
        print(f"expect_compile_error: {source}:1: first line must be '{EXPECT_PREFIX} <text>', "
              f"found {first!r}", file=sys.stderr)
        sys.exit(2)
    text = first[len(EXPECT_PREFIX):].strip()
    if not text:
        print(f"expect_compile_error: {source}:1: the EXPECT text is empty", file=sys.stderr)
        sys.exit(2)
    return text


def tail(text, lines=40):
    rows = text.splitlines()
    shown = rows[-lines:]
    prefix = [f"... ({len(rows) - lines} earlier lines omitted)"] if len(rows) > lines else []
    return "\n".join(prefix + shown)


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    compiler, source, extra = argv[1], argv[2], argv[3:]
    expected = read_expectation(source)
    command = [compiler, "-fsyntax-only", *extra, source]
    try:
        proc = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              errors="replace", check=False)
    except OSError as e:
        print(f"expect_compile_error: cannot run {compiler}: {e.strerror}", file=sys.stderr)
        return 2
    shown = " ".join(command)
    if proc.returncode == 0:
        print(f"FAIL {source}: compiled successfully, but it must not compile\n"
              f"  expected an error containing: {expected}\n  command: {shown}", file=sys.stderr)
        return 1
    if expected not in proc.stderr:
        print(f"FAIL {source}: compilation failed (exit {proc.returncode}), but stderr does not "
              f"contain the expected text\n  expected: {expected}\n  command: {shown}\n"
              f"--- compiler stderr ---\n{tail(proc.stderr)}", file=sys.stderr)
        return 1
    print(f"PASS {source}: compilation failed with '{expected}'")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
