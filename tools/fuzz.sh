#!/bin/sh
# tools/fuzz.sh: build the libFuzzer harnesses of tests/fuzz/ standalone with clang++-16
# (-fsanitize=fuzzer,address,undefined), seed a corpus from real relocatable objects, and fuzz
# each target for a bounded time.
#
#   tools/fuzz.sh [seconds] [target...]      default: 60 s for each default target
#   tools/fuzz.sh 60                         CI mode: 60 s per target, exit 1 on any finding
#   tools/fuzz.sh 3600 fuzz_load             a long campaign on one target (the corpus persists)
#
# Default targets: fuzz_load (whole x86-64 load path, ELF64) and fuzz_load_cross (whole load
# path of the ARM LE/BE, AArch64, RISC-V 32/64, i386 and Xtensa loaders, picked by the input's
# EI_CLASS/EI_DATA/e_machine, linked with the prelink allocator; inputs naming none of them go to
# the ARM LE loader, so it parses ELF32 too). fuzz_parse_elf32 (object_view<elf32le/be> alone)
# is no longer a default target, fuzz_load_cross covers its parser, but runs when named.
# Environment:
#   EXTLOAD_FUZZ_DIR   work directory (default: build-fuzz/ in the source tree): binaries,
#                      seeds*/, corpus/<target>/ (grows across runs), artifacts/ (crash inputs),
#                      <target>.log (libFuzzer's output), summary.txt (one line per run)
#   EXTLOAD_FUZZ_OBJECTS  extra directories (e.g. a meson build directory outside the tree)
#                      searched, like the tree, for built objects to seed from
#   FUZZ_FLAGS         extra libFuzzer flags (e.g. "-jobs=2 -workers=2")
# Seeds: the objects of a meson build (any */tests/objects/*.o in the tree, the generated
# large.* excluded), else the sources of tests/objects/ compiled here with gcc and clang-16 at
# a few flag sets; ELF32 seeds (seeds32/) are compiled by clang-16 for ARM (LE/BE), RISC-V 32
# and i686. fuzz_load_cross's seeds (seeds_cross/): seeds32/, clang-16 AArch64 and RV64 (lp64d)
# objects at -O0/-O2/-Os, and every built cross object (*/tests/cross_objects/**/*.o,
# */tests/oracle/**/*.o: ARM, AArch64, RISC-V, i386, Xtensa by the cross gcc's) found.
# Reproduce a finding: <dir>/fuzz_load <dir>/artifacts/crash-...
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_PER_TARGET=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-"fuzz_load fuzz_load_cross"}
DIR=${EXTLOAD_FUZZ_DIR:-$ROOT/build-fuzz}
CXX=${CXX_FUZZ:-clang++-16}
CC=${CC_FUZZ:-clang-16}
mkdir -p "$DIR/seeds64" "$DIR/seeds32" "$DIR/seeds_cross" "$DIR/artifacts"

# --- build ------------------------------------------------------------------------------------
for t in $TARGETS; do
  src="$ROOT/tests/fuzz/$t.cpp"
  [ -f "$src" ] || { echo "fuzz.sh: no such target: $t" >&2; exit 2; }
  if [ ! -x "$DIR/$t" ] || [ -n "$(find "$ROOT/include" "$ROOT/tests/fuzz" "$ROOT/tests/support" -newer "$DIR/$t" -name '*.?pp' 2>/dev/null | head -1)" ]; then
    echo "fuzz.sh: building $t"
    "$CXX" -std=c++20 -O1 -g -fno-omit-frame-pointer \
      -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
      -Wall -Wextra -Wpedantic -Werror \
      -I"$ROOT/include" -I"$ROOT/tests" "$src" -o "$DIR/$t"
  fi
done

# --- seeds ------------------------------------------------------------------------------------
if [ -z "$(ls -A "$DIR/seeds64")" ]; then
  found=$(find "$ROOT" -path "$DIR" -prune -o -path '*/tests/objects/*.o' -type f ! -name 'large.*' -print 2>/dev/null | head -400)
  if [ -n "$found" ]; then
    echo "fuzz.sh: seeding from $(echo "$found" | wc -l) built objects"
    for f in $found; do cp "$f" "$DIR/seeds64/$(basename "$f")"; done
  else
    echo "fuzz.sh: no built objects; compiling tests/objects/ sources"
    for src in "$ROOT"/tests/objects/*.c "$ROOT"/tests/objects/*.cpp; do
      base=$(basename "$src"); base=${base%.*}
      case "$src" in *.c) gcc_=gcc; clang_=$CC; std=-std=gnu17 ;; *) gcc_=g++; clang_=clang++-16; std=-std=c++17 ;; esac
      for flags in "-O0 -fno-pic" "-O2 -fPIE" "-Os -fPIC" "-O2 -fPIC -mcmodel=large"; do
        tag=$(echo "$flags" | tr -d ' =-')
        "$gcc_" $std -fcommon -I"$ROOT/tests/objects" $flags -c "$src" -o "$DIR/seeds64/$base.gcc.$tag.o" 2>/dev/null || true
        "$clang_" $std -fcommon -I"$ROOT/tests/objects" $flags -c "$src" -o "$DIR/seeds64/$base.clang.$tag.o" 2>/dev/null || true
      done
    done
  fi
fi
if [ -z "$(ls -A "$DIR/seeds32")" ]; then
  for src in "$ROOT"/tests/objects/*.c; do
    base=$(basename "$src" .c)
    for target in armv7m-none-eabi armebv7-none-eabi riscv32-unknown-elf i686-linux-gnu; do
      "$CC" --target=$target -ffreestanding -fcommon -O2 -I"$ROOT/tests/objects" -c "$src" -o "$DIR/seeds32/$base.$target.o" 2>/dev/null || true
    done
  done
fi
if [ -z "$(ls -A "$DIR/seeds_cross")" ]; then
  cp "$DIR"/seeds32/*.o "$DIR/seeds_cross/" 2>/dev/null || true
  for src in "$ROOT"/tests/objects/*.c; do
    base=$(basename "$src" .c)
    for opt in -O0 -O2 -Os; do
      "$CC" --target=aarch64-linux-gnu -ffreestanding -fcommon $opt -I"$ROOT/tests/objects" -c "$src" -o "$DIR/seeds_cross/$base.aarch64$opt.o" 2>/dev/null || true
      "$CC" --target=riscv64-linux-gnu -march=rv64gc -mabi=lp64d -ffreestanding -fcommon $opt -I"$ROOT/tests/objects" -c "$src" -o "$DIR/seeds_cross/$base.riscv64$opt.o" 2>/dev/null || true
    done
  done
  found=$(find "$ROOT" ${EXTLOAD_FUZZ_OBJECTS:-} -path "$DIR" -prune -o \( -path '*/tests/cross_objects/*.o' -o -path '*/tests/oracle/*.o' \) -type f -size -64k -print 2>/dev/null | head -1000)
  if [ -n "$found" ]; then
    echo "fuzz.sh: seeding fuzz_load_cross from $(echo "$found" | wc -l) built cross objects"
    for f in $found; do cp "$f" "$DIR/seeds_cross/$(echo "${f#/}" | tr / _)"; done
  fi
fi

# --- run --------------------------------------------------------------------------------------
status=0
for t in $TARGETS; do
  case "$t" in *elf32*) seeds="$DIR/seeds32" ;; *cross*) seeds="$DIR/seeds_cross" ;; *) seeds="$DIR/seeds64" ;; esac
  mkdir -p "$DIR/corpus/$t"
  echo "fuzz.sh: $t for ${SECONDS_PER_TARGET}s ($(ls "$seeds" | wc -l) seeds, $(ls "$DIR/corpus/$t" | wc -l) corpus entries)"
  set +e
  # -timeout 25: OSS-Fuzz's per-input limit; -rss_limit_mb bounds memory; -max_len: the seeds.
  "$DIR/$t" -max_total_time="$SECONDS_PER_TARGET" -timeout=25 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$DIR/artifacts/$t-" ${FUZZ_FLAGS:-} \
    "$DIR/corpus/$t" "$seeds" > "$DIR/$t.log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$DIR/$t.log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$DIR/$t.log" | tail -1 | grep -o '[0-9]*')
  ft=$(grep -o 'ft: [0-9]*' "$DIR/$t.log" | tail -1 | grep -o '[0-9]*')
  line="$(date -u +%Y-%m-%dT%H:%M:%SZ) $t seconds=$SECONDS_PER_TARGET execs=${execs:-?} cov=${cov:-?} ft=${ft:-?} corpus=$(ls "$DIR/corpus/$t" | wc -l) rc=$rc"
  echo "$line" | tee -a "$DIR/summary.txt"
  if [ $rc -ne 0 ]; then
    echo "fuzz.sh: $t FAILED; last lines of $DIR/$t.log:" >&2
    tail -40 "$DIR/$t.log" >&2
    ls -1 "$DIR/artifacts/" >&2 || true
    status=1
  fi
done
exit $status
