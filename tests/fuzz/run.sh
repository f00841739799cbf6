#!/bin/sh
# Build the libFuzzer targets with clang in <repo>/build-fuzzers and run
# each for a bounded time from its seed corpus in tests/fuzz/corpus/<target>.
# Fails when a target does not build, crashes, leaks, trips a sanitizer or
# an invariant, or leaves a crash artifact. New inputs a run finds go to
# build-fuzzers/fuzz-work/<target>/corpus, never into the committed seeds.
#
#   tests/fuzz/run.sh [target...]     (default: all targets)
#   FUZZ_SECONDS=20   time per target
#   FUZZ_JOBS         make -j (default: the number of CPUs)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build="$top/build-fuzzers"
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}
all="fuzz_param fuzz_arp fuzz_ndisc fuzz_inaddr fuzz_procid fuzz_alert_msg fuzz_echo fuzz_link_info
fuzz_lease fuzz_mountinfo fuzz_mailprobe_reply fuzz_mailprobe_url fuzz_adfix_dn fuzz_uri
fuzz_fenceproof"
all="$all fuzz_timeline"
targets=${*:-$all}
# shellcheck disable=SC2086 # one word per target
ntargets=$(set -- $targets && echo $#)
passed=0
failed=0

summary()
{
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit
}

case $seconds in
'' | *[!0-9]*)
	echo "FUZZ_SECONDS must be a whole number of seconds, not '$seconds'" >&2
	exit 2
	;;
esac

mkdir -p "$build" || exit 1
if [ ! -f "$build/config.status" ] || ! grep -q -- '--enable-fuzzing' "$build/config.status"; then
	[ -x "$top/configure" ] || (cd "$top" && ./autogen.sh) || exit 1
	echo "configuring $build (CC=clang --enable-fuzzing)"
	if ! (cd "$build" && CC=clang "$top/configure" --enable-fuzzing >configure.log 2>&1); then
		tail -n 20 "$build/configure.log"
		failed=$ntargets
		summary
	fi
fi
echo "building the fuzz targets"
if ! make -C "$build" -j"$jobs" >"$build/make.log" 2>&1; then
	grep -E 'error|Error' "$build/make.log" | head -n 20
	failed=$ntargets
	summary
fi

# Leaks count as findings; UBSan already aborts (-fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

for t in $targets; do
	bin="$build/tests/fuzz/$t"
	seeds="$here/corpus/$t"
	work="$build/fuzz-work/$t"

	rm -rf "$work/artifacts"
	mkdir -p "$work/corpus" "$work/artifacts"
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "FAIL $t: no such target (or no seeds in $seeds)"
		failed=$((failed + 1))
		continue
	fi
	"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "$work/corpus" "$seeds" >"$work/log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -n 1)
	if [ "$rc" -eq 0 ] && [ -z "$(ls -A "$work/artifacts")" ]; then
		echo "PASS $t: ${runs:-?} runs in ${seconds}s, corpus $(find "$work/corpus" -type f | wc -l) inputs"
		passed=$((passed + 1))
	else
		echo "FAIL $t (exit $rc): see $work/log"
		grep -E 'ERROR|SUMMARY|invariant failed|runtime error|Test unit written' "$work/log" | head -n 10
		failed=$((failed + 1))
	fi
done
summary
