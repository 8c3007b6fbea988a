#!/bin/sh
# `make bench`: runs the benchmarks of one build dir and prints their
# figures, each as a ratio against the baseline it names (docs/design.md
# "Performance").  Never fails on a timing.
#
# usage: tests/bench/run.sh BUILD_DIR   (BENCH_SECONDS=N to change the
# minimum seconds per figure, default 2)
set -eu
build=${1:-build}
src=$(cd "$(dirname "$0")/../.." && pwd)
shared=${SHARED:-$src/../shared}
bin=$build/tests/bench/bench_parse

if [ ! -x "$bin" ]; then
	echo "bench: $bin not built (run make build first)" >&2
	exit 2
fi
if grep -q 'NIANBAO_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
	echo "bench: note: $build is a sanitizer build; figures are not" \
	    "comparable"
fi
echo "== parse path =="
"$bin" "$src/tests/bench/data/wordhtml_report.html" \
    "$shared/seeds/000_009e668a3bf157d3.txt" "${BENCH_SECONDS:-2}"
echo
echo "== PDF and DOCX readers =="
if [ -x "$build/tests/bench/bench_pdf" ]; then
	"$build/tests/bench/bench_pdf" "${BENCH_SECONDS:-2}" \
	    "$src/tests/bench/data/wordhtml_report.html" \
	    "$shared"/fixtures/real/*.pdf "$shared"/fixtures/real/*.docx
else
	echo "bench: $build/tests/bench/bench_pdf not built"
fi
echo
sh "$src/tests/bench/crawl.sh" "$build"
echo
sh "$src/tests/bench/query.sh" "$build"
