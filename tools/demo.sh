#!/usr/bin/env bash
# Run the demo: install what is missing, build examples/firmware_demo with g++ in build-gcc (the
# same build directory tools/test.sh uses) and run it.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/install-deps.sh

if [[ -f build-gcc/meson-private/coredata.dat ]]; then
  CXX=g++ meson setup --reconfigure build-gcc
else
  rm -rf build-gcc
  CXX=g++ meson setup build-gcc
fi
ninja -C build-gcc -j 2 demo   # the demo firmware and the extensions it loads
exec build-gcc/examples/firmware_demo "$@"
