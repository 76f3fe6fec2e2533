#!/usr/bin/env bash
# Runs each libFuzzer target of the `fuzz` preset for a bounded time under
# AddressSanitizer and UndefinedBehaviorSanitizer, seeded from
# tests/bad_scenarios, tests/scenarios, tests/bad_rosters, the shipped
# scenarios, small run files written by the fuzz build's own wfsim, and every
# input that once crashed a target (tests/fuzz_regressions/<target>).
# Prints executions per target; fails if a target crashes, hangs, leaks or
# trips a sanitizer, leaving the input in build/fuzz/fuzzing/artifacts: add
# it to tests/fuzz_regressions/<target> with the fix. The run-file reader
# reads each input through in a child process first, as `wfsim report`
# does; a fault of the HDF5 library there is contained (report exits 2) and
# counted, its input moved to artifacts/contained; any other fault fails.
#   WFSIM_FUZZ_SECONDS  time per target (default 90)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${WFSIM_FUZZ_SECONDS:-90}
build=build/fuzz
work=$build/fuzzing
rm -rf "$work"
mkdir -p "$work/artifacts" "$work/corpus/scenario_loader" "$work/corpus/roster_reader" "$work/corpus/run_file_reader"

cp tests/bad_scenarios/*.yaml tests/scenarios/*.yaml scenarios/lancashire-2015/*.yaml "$work/corpus/scenario_loader/"
cp tests/bad_rosters/*.csv scenarios/lancashire-2015/roster-example.csv "$work/corpus/roster_reader/"
for target in scenario_loader roster_reader run_file_reader; do
  if compgen -G "tests/fuzz_regressions/$target/*" >/dev/null; then
    cp tests/fuzz_regressions/$target/* "$work/corpus/$target/"
  fi
done
# Run files to mutate: one scenario, and two with their comparison.
"$build/wfsim" run tests/scenarios/valid_full.yaml -n 1 --threads 1 -q \
  -o "$work/corpus/run_file_reader/one_scenario.h5" 2>/dev/null
"$build/wfsim" run tests/scenarios/valid_full.yaml tests/scenarios/valid_override.yaml -n 2 --threads 1 -q \
  -o "$work/corpus/run_file_reader/two_scenarios.h5" 2>/dev/null
largest_run_file=$(stat -c %s "$work"/corpus/run_file_reader/*.h5 | sort -n | tail -1)

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
failed=0
printf '%-18s %12s %10s\n' target executions seconds
for target in scenario_loader roster_reader run_file_reader; do
  extra=()
  [[ $target == run_file_reader ]] && extra=(-max_len="$largest_run_file")
  log="$work/$target.log"
  if ! "$build/fuzz/wfsim_fuzz_$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
      -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" "${extra[@]}" \
      "$work/corpus/$target" >"$log" 2>&1; then
    failed=1
    echo "== $target found a failure:"
    tail -40 "$log"
  fi
  # Sanitizer reports from the child pass: the library's own faults (a frame
  # in libhdf5 near the top) are contained; anything else is ours.
  mkdir -p "$work/artifacts/contained"
  read -r contained ours < <(awk -v contained_dir="$work/artifacts/contained" '
    /==ERROR: |runtime error: / { open = 1; frames = 0; library = 0; next }
    open && /^ +#[0-9]+ / { if (++frames <= 6 && /libhdf5/) library = 1; next }
    open && /Test unit written to / {
      open = 0; artifact = $NF
      if (library) { contained++; system("mv -f " artifact " " contained_dir "/ 2>/dev/null") } else ours++
    }
    END { print contained + 0, ours + 0 }' "$log")
  if ((ours > 0)); then
    failed=1
    echo "== $target: $ours faults outside the HDF5 library:"
    grep -B2 -A20 -E "==ERROR: |runtime error: " "$log" | head -60
  fi
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  printf '%-18s %12s %10s   %s HDF5 library faults contained in the child pass\n' "$target" "${executions:-?}" \
    "$seconds" "$contained"
done
if ((failed)); then
  echo "inputs that failed: $(ls -p "$work/artifacts" | grep -v /)"
  exit 1
fi
