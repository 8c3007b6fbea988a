#!/bin/sh
# Smoke run of one libFuzzer harness under ctest (label "fuzz"): copy the
# seed corpus into the build dir (libFuzzer adds what it finds to its first
# corpus dir; the source tree stays clean), run a bounded session, and on a
# crash say where the reproducer is and how to replay it.
#
# usage: smoke.sh FUZZER SEED_CORPUS WORKDIR DICT RUNS SECONDS
set -u
# UBSan prints no stack by default; the report needs one
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export UBSAN_OPTIONS
fuzzer=$1 seeds=$2 work=$3 dict=$4 runs=$5 secs=$6

if [ ! -x "$fuzzer" ]; then
	echo "FAIL: $fuzzer not built" >&2
	exit 1
fi
rm -rf "$work"
mkdir -p "$work/corpus" "$work/crashes" || exit 1
cp "$seeds"/* "$work/corpus/" || exit 1
chmod u+w "$work/corpus"/*

echo "fuzz: $(basename "$fuzzer"): $(ls "$work/corpus" | wc -l) seeds," \
    "up to $runs runs or $secs s"
# A fixed seed (FUZZ_SEED=0 for a random one) keeps ctest reproducible.
"$fuzzer" -seed="${FUZZ_SEED:-1}" -runs="$runs" -max_len=65536 -timeout=10 \
    -max_total_time="$secs" -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1
rc=$?
if [ $rc -eq 0 ]; then
	grep -a '^stat::\|^Done' "$work/log"
	echo "ok: $(basename "$fuzzer") found nothing"
	exit 0
fi
# What broke and where: the sanitizer or invariant line, then the stack
# frames in our code (libFuzzer's own frames and libc left out).
echo "FAIL: $(basename "$fuzzer") exited $rc; full log: $work/log"
grep -a -m 1 'invariant broken\|ERROR: \|runtime error' "$work/log"
grep -a '^ *#[0-9][0-9]* 0x' "$work/log" | grep -a -v \
    'fuzzer::\|__sanitizer\|libc\.so\|libc_start\|_start \|nptl\|raise\.c\|abort\.c\|fuzz_fail\|in main ' |
    head -n 25
for f in "$work/crashes"/*; do
	[ -f "$f" ] || continue
	echo "reproducer: $f ($(wc -c <"$f") bytes); replay with:"
	echo "    $fuzzer $f"
done
exit 1
