#!/usr/bin/env bash
# The one command that runs the benchmarks (issue 5): builds them in build-bench (gcc, release
# settings at -O2, benchmarks only), runs bench_relocate with JSON output, prints Google
# Benchmark's table and the summary of this run (ns/relocation, relocations/second, the ratios
# against glibc dlopen and the raw bound, export lookups, the issue's targets), and regenerates
# docs/bench.svg from the JSON.
#
# Why -O2 and not buildtype=release's -O3: with g++ 12, -O3 makes the loader slower here, e.g. the
# large -mcmodel=large load runs 164 instead of 122 instructions per relocation (callgrind) and
# ~12.6 instead of ~9.7 ns per relocation in the arena.
#
# Usage: tools/bench.sh [extra bench_relocate arguments, e.g. --benchmark_filter=large]
# Environment: EXTLOAD_BENCH_BUILD (build directory, default build-bench), REPETITIONS (default 5;
# the summary uses medians of interleaved repetitions), CXX (default g++).
# Takes ~3 minutes on the 2-core VM the first time (the 2,000-entry export table alone needs
# ~30 s and 1.2 GB to compile), then ~1-2 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
builddir=${EXTLOAD_BENCH_BUILD:-build-bench}
repetitions=${REPETITIONS:-5}

if [[ ! -f $builddir/build.ninja ]]; then
  CXX=${CXX:-g++} meson setup "$builddir" -Dbuildtype=release -Doptimization=2 \
    -Dtests=false -Dexamples=false -Dtools=false -Dbench=true
fi
ninja -C "$builddir" bench

exe=$builddir/bench/bench_relocate
if [[ ! -x $exe ]]; then
  echo "bench.sh: $exe was not built (Google Benchmark missing? apt-get install libbenchmark-dev)" >&2
  exit 1
fi

json=$builddir/bench.json
"$exe" --benchmark_out="$json" --benchmark_out_format=json \
  --benchmark_repetitions="$repetitions" --benchmark_enable_random_interleaving=true \
  --benchmark_report_aggregates_only=true "$@"

mkdir -p docs
python3 tools/plot_bench.py "$json" docs/bench.svg
echo "JSON: $json; plot: docs/bench.svg; instruction counts: tools/callgrind.sh; Cortex-M4 size: tools/footprint.sh"
