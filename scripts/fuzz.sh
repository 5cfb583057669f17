#!/usr/bin/env bash
# Runs every fuzzer of the module for a while, one after another, and
# prints one line per fuzzer. A crash leaves its input in the package's
# testdata/fuzz/<Fuzzer>/ (commit it: it becomes a regression case) and
# makes the script fail.
#   scripts/fuzz.sh [FUZZTIME] [FILTER]   e.g. scripts/fuzz.sh 10m Mask
# A FILTER starting with Fuzz names one fuzzer exactly; otherwise it is a
# substring of the names to run.
set -uo pipefail
time=${1:-1m}
filter=${2:-}
par=${FUZZPAR:-1}
failed=0
while IFS=: read -r file name; do
	if [[ $filter == Fuzz* ]]; then [[ $name == "$filter" ]] || continue; elif [[ -n $filter && $name != *$filter* ]]; then continue; fi
	pkg=./$(dirname "$file")
	start=$(date +%s)
	if out=$(go test -run '^$' -fuzz "^${name}\$" -fuzztime "$time" -parallel "$par" "$pkg" 2>&1); then
		execs=$(grep -o 'execs: [0-9]*' <<<"$out" | tail -1 | cut -d' ' -f2)
		echo "ok   $pkg $name $(( $(date +%s) - start ))s ${execs:-?} execs"
	else
		failed=1
		echo "FAIL $pkg $name"
		grep -E -- '--- FAIL|Failing input|\.go:[0-9]+:' <<<"$out" | head -8 | sed 's/^/     /'
	fi
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' . | sed 's/:func /:/' | sort)
exit $failed
