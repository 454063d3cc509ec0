#!/usr/bin/env python3
"""Run the Cortex-M test firmware (tests/cortex_m/firmware.cpp) on qemu-system-arm and judge it.

Runs qemu's mps2-an386 (Cortex-M4) with semihosting, stopped after --timeout seconds so that a
hang fails instead of blocking, and echoes everything the firmware prints. Passes only if qemu
exits with status 0 and the last line is `cortex-m: N objects, N passed, 0 failed` with N equal
to --expected (the number of objects the build embedded).
Usage: run_qemu.py --qemu QEMU --expected N [--timeout SECONDS] FIRMWARE.elf
"""

import argparse
import re
import subprocess
import sys
import time

SUMMARY_RE = re.compile(r"^cortex-m: (\d+) objects, (\d+) passed, (\d+) failed$")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--qemu", required=True)
    p.add_argument("--expected", type=int, required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("firmware")
    a = p.parse_args()

    cmd = [a.qemu, "-M", "mps2-an386", "-nographic", "-monitor", "none", "-serial", "none",
           "-semihosting-config", "enable=on,target=native", "-kernel", a.firmware]
    print("$ " + " ".join(cmd), flush=True)
    start = time.monotonic()
    try:
        # Semihosting output (SYS_WRITE0) goes to qemu's stderr: keep both, in order.
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=a.timeout, check=False)
    except subprocess.TimeoutExpired as e:
        sys.stdout.write((e.output or b"").decode(errors="replace"))
        print(f"run_qemu.py: FAIL: the firmware did not finish within {a.timeout:g} s; qemu was killed")
        return 1
    seconds = time.monotonic() - start
    output = r.stdout.decode(errors="replace")
    sys.stdout.write(output)

    lines = [line for line in output.splitlines() if line.strip()]
    m = SUMMARY_RE.match(lines[-1]) if lines else None
    problems = []
    if r.returncode != 0:
        problems.append(f"qemu exited with status {r.returncode}")
    if m is None:
        problems.append("the last line is not the summary `cortex-m: N objects, P passed, F failed` "
                        "(the firmware stopped early: see any FAULT line above)")
    else:
        objects, passed, failed = (int(g) for g in m.groups())
        if failed != 0 or passed != objects:
            problems.append(f"{failed} of {objects} objects failed")
        if objects != a.expected:
            problems.append(f"the firmware ran {objects} objects, the build embedded {a.expected}")
    if problems:
        print("run_qemu.py: FAIL: " + "; ".join(problems))
        return 1
    print(f"run_qemu.py: PASS: {a.expected} objects executed on the emulated Cortex-M4 in {seconds:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
