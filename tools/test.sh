#!/usr/bin/env bash
# Run every test: install what is missing (tools/install-deps.sh), then configure, build and test
# with g++ (build-gcc) and clang++-16 (build-clang), again under ASan+UBSan with each
# (build-asan-gcc, build-asan-clang), the registry's suites under TSan with clang++-16 (build-tsan), and for arm, aarch64, riscv64 and i686 under qemu
# (build-<arch>, tests/cross/*.ini). A configuration that fails to configure or
# build counts as failed and the next one still runs. Then bounded fuzzing (tools/fuzz.sh 30) and,
# printed for the record, instructions per relocation (tools/callgrind.sh) and the Cortex-M4
# footprint (tools/footprint.sh). The last line of output is always `N passed, N failed` over
# all of them (tests from meson-logs/testlog.json; a skipped test counts as failed). Exit status
# 0 only when nothing failed. EXTLOAD_TEST_BUDGET_MIN bounds the run (below).
# Usage: tools/test.sh [extra meson test args, e.g. a test name]
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

total_passed=0
total_failed=0
summary=()

note() { printf '\n=== %s\n' "$*"; }

# A time budget (minutes) so that the summary line is always printed before CI's 90-minute
# limit: every build, test run and script below is stopped at the deadline (timeout), and a
# phase that would start after it is not run; both count as failed. Default 80 under CI
# (unset: no budget). Every phase's wall time is printed in the summary.
budget_min=${EXTLOAD_TEST_BUDGET_MIN:-}
[[ -z $budget_min && -n ${CI:-} ]] && budget_min=80
# Returns non-zero (and records the phase as failed) when the budget is spent.
within_budget() {
  if [[ -n $budget_min ]] && ((SECONDS >= budget_min * 60 - 30)); then
    summary+=("$1: FAILED, not run: the ${budget_min}-minute budget was spent after $((SECONDS / 60)) min")
    total_failed=$((total_failed + 1))
    return 1
  fi
}
# Runs a command, stopped at the budget's deadline (exit status 124 then).
by_deadline() {
  if [[ -z $budget_min ]]; then "$@"; return; fi
  local left=$((budget_min * 60 - SECONDS))
  ((left > 0)) || return 124
  timeout -k 20 "$left" "$@"
}
elapsed() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

if ! by_deadline tools/install-deps.sh; then
  note "install-deps.sh failed: continuing with what is installed"
  total_failed=$((total_failed + 1))
  summary+=("install-deps: FAILED (tools/install-deps.sh exited non-zero)")
else
  summary+=("install-deps: done")
fi
summary[-1]+=" [$(elapsed "$SECONDS")]"

# The compiler a build directory was configured with (empty if unknown), from its build.ninja.
# shellcheck disable=SC2016  # $ARGS is a literal ninja variable
configured_compiler() {
  sed -n '/^rule cpp_COMPILER$/{n;s/^ *command = \(.*\) \$ARGS.*/\1/p;q}' "$1/build.ninja" 2>/dev/null |
    awk '{print $NF}'
}

# Count results in a testlog.json: prints "passed failed skipped-names failed-names".
count_results() {
  python3 - "$1" <<'EOF'
import json, sys
passed = failed = 0
skipped, bad = [], []
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    r = json.loads(line)
    if r["result"] in ("OK", "EXPECTEDFAIL"):
        passed += 1
    else:  # FAIL, TIMEOUT, UNEXPECTEDPASS, ERROR, SKIP
        failed += 1
        (skipped if r["result"] == "SKIP" else bad).append(r["name"])
print(passed, failed, ",".join(skipped) or "-", ",".join(bad) or "-")
EOF
}

# Per configuration: the targets to build (default: all) and the tests to run (default: all).
config_targets=()
config_tests=()

run_config() {
  local name=$1
  within_budget "$name" || return
  local start=$SECONDS
  run_config_timed "$@"
  summary[-1]+=" [$(elapsed $((SECONDS - start)))]"
}

run_config_timed() {
  local name=$1 builddir=$2 compiler=$3 extra=$4
  shift 4
  local options=(-Dtests=true -Duse_single_include=false -Dwerror=true)
  # shellcheck disable=SC2206  # word splitting of the extra meson options is intended
  [[ -n $extra ]] && options+=($extra)
  [[ -n ${CI:-} ]] && options+=(-Db_colorout=never)  # plain compiler output in CI logs

  # A cross build takes its compilers from the cross file; CXX would set the build machine's.
  local -a env_cxx=(env "CXX=$compiler")
  [[ $extra == *--cross-file* ]] && env_cxx=(env)
  note "$name: configure $builddir (CXX=$compiler)"
  if ! command -v "$compiler" >/dev/null 2>&1; then
    summary+=("$name: FAILED to configure ($compiler not found)")
    total_failed=$((total_failed + 1))
    return
  fi
  local setup_ok=0
  if [[ -f $builddir/meson-private/coredata.dat ]]; then
    if [[ $(configured_compiler "$builddir") == "$compiler" ]]; then
      "${env_cxx[@]}" meson setup --reconfigure "${options[@]}" "$builddir" && setup_ok=1
    fi
    if ((!setup_ok)); then  # another compiler, or a broken directory: start over
      "${env_cxx[@]}" meson setup --wipe "${options[@]}" "$builddir" && setup_ok=1
    fi
  else
    rm -rf "$builddir"
    "${env_cxx[@]}" meson setup "${options[@]}" "$builddir" && setup_ok=1
  fi
  if ((!setup_ok)); then
    summary+=("$name: FAILED to configure (see meson setup output above)")
    total_failed=$((total_failed + 1))
    return
  fi

  note "$name: build"
  if ! by_deadline meson compile -C "$builddir" -j 2 "${config_targets[@]}"; then
    summary+=("$name: FAILED to build (see the compiler errors above, or the time budget ran out)")
    total_failed=$((total_failed + 1))
    return
  fi

  note "$name: test"
  rm -f "$builddir/meson-logs/testlog.json"
  # Each header compiling alone, with each compiler, is checked by the gcc and clang
  # configurations; the sanitizer and cross configurations would only repeat it.
  local suites=(--no-rebuild)
  [[ $name != gcc && $name != clang ]] && suites+=(--no-suite headers)
  # A configuration that builds only some targets runs only its own tests (meson test builds
  # what they depend on).
  ((${#config_tests[@]})) && suites=("${config_tests[@]}")
  by_deadline meson test -C "$builddir" --print-errorlogs --num-processes 2 "${suites[@]}" "$@"
  local rc=$?
  if [[ ! -s $builddir/meson-logs/testlog.json ]]; then
    summary+=("$name: FAILED to run the tests (meson test exited $rc$( ((rc == 124)) && echo ': time budget'), no testlog.json)")
    total_failed=$((total_failed + 1))
    return
  fi
  local passed failed skipped bad
  read -r passed failed skipped bad < <(count_results "$builddir/meson-logs/testlog.json")
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  local line="$name: $passed passed, $failed failed"
  [[ $bad != - ]] && line+="; failed: ${bad//,/, }"
  [[ $skipped != - ]] && line+="; skipped (counted as failed): ${skipped//,/, }"
  if ((failed == 0 && rc != 0)); then  # meson itself reported a problem the log does not show
    line+="; meson test exited $rc"
    total_failed=$((total_failed + 1))
  fi
  summary+=("$line")
}

# The two compilers, then the whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
# with each (issue 6): any report fails the test that triggered it.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# (The GNU ld oracle runs in the gcc configuration only: its objects do not depend on the compiler.)
sanitize="-Db_sanitize=address,undefined -Dcpp_args=-fno-sanitize-recover=all -Dbench=false -Dexamples=false -Doracle=false"
run_config gcc build-gcc g++ "" "$@"
run_config clang build-clang clang++-16 "-Doracle=false" "$@"  # the oracle's objects are compiler-independent: gcc run only
run_config asan-ubsan-gcc build-asan-gcc g++ "$sanitize" "$@"
# The registry's concurrent load/unload under ThreadSanitizer (issue 6), clang++-16: only the
# registry's suites are built (tests/meson.build, unit_registry) and run.
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
config_targets=(tests/unit_registry)
config_tests=(unit_registry_tsan)
run_config tsan-registry build-tsan clang++-16 "-Db_sanitize=thread -Db_lundef=false -Dbench=false -Dexamples=false -Dtools=false -Doracle=false" "$@"
config_targets=()
config_tests=()
run_config asan-ubsan-clang build-asan-clang clang++-16 "$sanitize -Db_lundef=false" "$@"  # clang links its sanitizer runtimes into executables only: shared objects keep undefined __asan_* references

# The suite built for each other Linux architecture by its cross g++ and run under qemu-user
# (tests/cross/*.ini, issue 4): real objects compiled by that gcc are loaded with that
# architecture's relocation set and executed. A skipped test counts as failed.
cross="-Dexamples=false -Dbench=false"
run_config arm-qemu build-arm arm-linux-gnueabihf-g++ "--cross-file tests/cross/arm-linux.ini $cross" "$@"
run_config aarch64-qemu build-aarch64 aarch64-linux-gnu-g++ "--cross-file tests/cross/aarch64-linux.ini $cross" "$@"
run_config riscv64-qemu build-riscv64 riscv64-linux-gnu-g++ "--cross-file tests/cross/riscv64-linux.ini $cross" "$@"
run_config i686-qemu build-i686 i686-linux-gnu-g++ "--cross-file tests/cross/i686-linux.ini $cross" "$@"

# Fuzzing for a bounded time (issue 6): the libFuzzer harnesses under ASan+UBSan, seeded from
# real objects; a crash, leak or timeout fails.
if within_budget fuzz; then
  note "fuzzing (tools/fuzz.sh 30)"
  start=$SECONDS
  if by_deadline tools/fuzz.sh 30; then summary+=("fuzz: no findings"); total_passed=$((total_passed + 1))
  else summary+=("fuzz: FAILED (see build-fuzz/artifacts)"); total_failed=$((total_failed + 1)); fi
  summary[-1]+=" [$(elapsed $((SECONDS - start)))]"
fi

# Numbers CI prints but does not assert on (issue 5): instructions per relocation (callgrind,
# exactly repeatable) and the Cortex-M4 footprint of a minimal loader.
if within_budget callgrind; then
  note "instructions per relocation (callgrind; printed, not asserted)"
  start=$SECONDS
  if by_deadline tools/callgrind.sh; then summary+=("callgrind.sh: measured")
  else summary+=("callgrind.sh: FAILED to build or run"); total_failed=$((total_failed + 1)); fi
  summary[-1]+=" [$(elapsed $((SECONDS - start)))]"
fi
if within_budget footprint; then
  note "Cortex-M4 footprint (printed, not asserted)"
  start=$SECONDS
  if by_deadline tools/footprint.sh; then summary+=("footprint.sh: measured")
  else summary+=("footprint.sh: FAILED to build"); total_failed=$((total_failed + 1)); fi
  summary[-1]+=" [$(elapsed $((SECONDS - start)))]"
fi

note "summary (total $(elapsed "$SECONDS"))"
printf '%s\n' "${summary[@]}"
echo "$total_passed passed, $total_failed failed"
((total_failed == 0))
