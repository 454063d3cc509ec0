#!/usr/bin/env python3
"""tests/run/make_archive.py: build a test archive from scratch (ar r* would update a stale one).

  make_archive.py gnu|bsd index|noindex AR_TOOL OUTPUT MEMBER...

gnu: AR_TOOL is GNU ar: `rcs` (with the "/" symbol index) or `rcS` (none).
bsd: AR_TOOL is llvm-ar (`--format=bsd`, index "__.SYMDEF"), or `builtin` to write the same
     layout with make_bsd_ar.py when no llvm-ar is installed.
"""
import os
import subprocess
import sys
from pathlib import Path


def main(argv):
    flavor, index, tool, output, members = argv[0], argv[1], argv[2], argv[3], argv[4:]
    if os.path.exists(output):
        os.remove(output)
    mode = "rcs" if index == "index" else "rcS"
    if flavor == "gnu":
        cmd = [tool, mode, output] + members
    elif tool == "builtin":
        cmd = [sys.executable, str(Path(__file__).with_name("make_bsd_ar.py"))] + (["--no-index"] if index != "index" else []) + [output] + members
    else:
        cmd = [tool, "--format=bsd", mode, output] + members
    return subprocess.run(cmd).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
