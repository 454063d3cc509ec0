#!/usr/bin/env python3
"""tests/run/compare.py: run a program natively and through extload-run; same stdout, stderr and
exit status, or the run fails with both outputs shown.

  compare.py --tool EXTLOAD_RUN --native EXE --inputs FILE... [--args ARG...]
      The native executable gets argv[0] = the first FILE, as extload-run gives the program.
  compare.py --tool EXTLOAD_RUN --expect-error REGEX --inputs FILE... [--args ARG...]
      extload-run must refuse: exit status 127, and stderr exactly one line matching REGEX.
  compare.py --tool EXTLOAD_RUN --expect-trace REGEX... --native EXE --inputs ...
      additionally, `--trace` output must match every REGEX, and must not match a REGEX written
      as !REGEX (e.g. which archive members were loaded, and which were not).

  --wrapper-from-env (cross builds): extload-run and the native executable are target programs.
      When meson needs a wrapper to run the target's programs it passes the cross file's
      exe_wrapper to the test in MESON_EXE_WRAPPER (a qemu-user command; the native executable
      gets its argv[0] through qemu's `-0`), and both run through it. When it does not set it,
      meson runs that configuration's programs directly (i686 on an x86-64 build machine, whose
      kernel runs IA-32 programs), and so does this script.
"""
import argparse
import os
import re
import shlex
import subprocess
import sys


def run(cmd, executable=None):
    try:
        p = subprocess.run(cmd, executable=executable, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    except OSError as e:  # e.g. a target program on a build machine that cannot run it, without a wrapper
        sys.exit(f"cannot run {executable or cmd[0]}: {e}")
    return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")


def show(title, rc, out, err):
    print(f"--- {title}: exit status {rc}\n[stdout]\n{out}\n[stderr]\n{err}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tool", required=True)
    ap.add_argument("--native")
    ap.add_argument("--expect-error")
    ap.add_argument("--expect-trace", nargs="*", default=[])
    ap.add_argument("--inputs", nargs="+", required=True)
    ap.add_argument("--args", nargs="*", default=[])
    ap.add_argument("--wrapper-from-env", action="store_true")
    a = ap.parse_args()

    wrapper = []
    if a.wrapper_from_env:
        wrapper = shlex.split(os.environ.get("MESON_EXE_WRAPPER", ""))
        if wrapper and not os.path.basename(wrapper[0]).startswith("qemu-"):
            print(f"--wrapper-from-env: {wrapper[0]} is not qemu-user, which is needed to set the native program's argv[0] (-0)")
            return 1

    tool_cmd = wrapper + [a.tool] + a.inputs + (["--"] + a.args if a.args else [])
    if a.expect_error:
        rc, out, err = run(tool_cmd)
        lines = err.splitlines()
        ok = rc == 127 and len(lines) == 1 and re.search(a.expect_error, lines[0]) is not None and out == ""
        if not ok:
            show("extload-run (expected one error line and status 127)", rc, out, err)
            print(f"expected /{a.expect_error}/")
            return 1
        print(f"refused as expected: {lines[0]}")
        return 0

    if wrapper:
        nrc, nout, nerr = run(wrapper + ["-0", a.inputs[0], a.native] + a.args)
    else:
        nrc, nout, nerr = run([a.inputs[0]] + a.args, executable=a.native)
    rc, out, err = run(tool_cmd)
    if (rc, out, err) != (nrc, nout, nerr):
        show("native", nrc, nout, nerr)
        show("extload-run", rc, out, err)
        return 1
    if a.expect_trace:
        # A pattern starting with '!' must not match (e.g. an archive member that must not load).
        trc, tout, terr = run(wrapper + [a.tool, "--trace"] + a.inputs + (["--"] + a.args if a.args else []))
        missing = [r for r in a.expect_trace if not r.startswith("!") and not re.search(r, terr, re.MULTILINE)]
        present = [r[1:] for r in a.expect_trace if r.startswith("!") and re.search(r[1:], terr, re.MULTILINE)]
        if missing or present or trc != nrc:
            show("extload-run --trace", trc, tout, terr)
            print(f"missing in the trace: {missing}; present but must not be: {present}")
            return 1
    print(f"same output and exit status {rc} ({len(out)} bytes of stdout)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
