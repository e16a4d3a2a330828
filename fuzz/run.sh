#!/usr/bin/env bash
# fuzz/run.sh SECONDS: builds the libFuzzer targets (build-fuzz, clang) when needed, seeds their
# corpora (fuzz/seed.sh), and runs each target for SECONDS/3 with -rss_limit_mb=2048
# -timeout=10. Prints executions and coverage per target; exits non-zero on any crash, leak,
# timeout or out-of-memory, leaving the input in build-fuzz/fuzz-artifacts/.
# The corpora grow across runs in build-fuzz/fuzz-corpus/<target>.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
secs=${1:?usage: fuzz/run.sh SECONDS}
build=${PD_FUZZ_BUILD:-$root/build-fuzz}
jobs=${PD_FUZZ_NINJA_JOBS:-2}

if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" -DPD_FUZZ=ON >/dev/null || exit 2
fi
ninja -C "$build" -j"$jobs" fuzz >"$build/fuzz-build.log" 2>&1 || {
  tail -30 "$build/fuzz-build.log"
  echo "fuzz/run.sh: build failed" >&2
  exit 2
}

seed=$build/fuzz-seed
rm -rf "$seed"
"$here/seed.sh" "$seed" || exit 2
mkdir -p "$build/fuzz-artifacts"

per=$((secs / 3))
[ "$per" -ge 1 ] || per=1
status=0
for t in archive layer json; do
  corpus=$build/fuzz-corpus/$t
  mkdir -p "$corpus"
  log=$build/fuzz-$t.log
  dict=$here/tar.dict
  [ "$t" = json ] && dict=$here/json.dict
  # One process; the corpus directory first (it grows), the seeds second (read only).
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$build/fuzz/fuzz_$t" "$corpus" "$seed/$t" -max_total_time="$per" -rss_limit_mb=2048 \
    -timeout=10 -dict="$dict" -print_final_stats=1 -artifact_prefix="$build/fuzz-artifacts/$t-" \
    >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
  corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p')
  printf 'fuzz_%-8s %4ss  execs %-9s cov %-6s ft %-6s corpus %s  exit %s\n' \
    "$t" "$per" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$rc"
  if [ "$rc" -ne 0 ]; then
    status=1
    grep -E 'ERROR|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20
    echo "fuzz/run.sh: fuzz_$t failed; full log in $log" >&2
  fi
done
exit $status
