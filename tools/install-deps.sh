#!/usr/bin/env bash
# Install what building and testing extload needs on Debian 12 (bookworm), and nothing when all of
# it is already there (so reruns take well under a second). Runs apt-get as root, else via sudo.
#   meson ninja-build cmake pkg-config   build (meson finds doctest through CMake: keep cmake)
#   g++ clang-16 lld-16                  the two compilers every change is built with
#   libclang-rt-16-dev                   clang-16 sanitizers/libFuzzer; only a Recommends of
#                                        clang-16, so --no-install-recommends needs it listed
#   doctest-dev libboost-dev             tests, Boost.Hana
#   libbenchmark-dev valgrind python3    benchmarks, callgrind, tools/*.py
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

packages=(
  meson ninja-build cmake pkg-config
  g++ clang-16 lld-16 libclang-rt-16-dev llvm-16
  doctest-dev libboost-dev libbenchmark-dev
  valgrind python3 zlib1g-dev
  # cross toolchains: objects for every architecture, GNU ld oracles, qemu-user for cross suites
  g++-arm-linux-gnueabihf g++-aarch64-linux-gnu g++-riscv64-linux-gnu g++-i686-linux-gnu qemu-user
  qemu-system-arm  # tests/cortex_m: Cortex-M objects executed on an emulated MPS2-AN386 (Cortex-M4)
  gcc-arm-none-eabi libnewlib-arm-none-eabi libstdc++-arm-none-eabi-newlib
  gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf gcc-xtensa-lx106 binutils-xtensa-lx106
)

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps.sh: not a Debian system (no dpkg-query); install by hand: ${packages[*]}" >&2
  for cmd in meson ninja cmake g++ clang++-16 python3; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "install-deps.sh: missing command: $cmd" >&2; exit 1; }
  done
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps.sh: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
else
  echo "install-deps.sh: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
