#!/usr/bin/env bash
# Runs every Go fuzz target in the module for FUZZTIME (default 20s).
#   bash infra/fuzz.sh            # CI: each target briefly
#   FUZZTIME=30m bash infra/fuzz.sh   # a long run; new crashers land in testdata/fuzz/
#
# A target fails only when the fuzzer finds an input ("Failing input written
# to ..."). Go 1.26's fuzzer can end a healthy run with "context deadline
# exceeded" (golang/go#75804, fixed in 1.27); such a run is retried, and fails
# CI only if it never completes.
set -uo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-20s}"
status=0
for pkg in $(go list ./...); do
	for target in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' || true); do
		for attempt in 1 2 3; do
			out=$(go test "$pkg" -run '^$' -fuzz "^${target}\$" -fuzztime "$FUZZTIME" 2>&1)
			rc=$?
			if [ $rc -eq 0 ]; then
				echo "fuzz ok   $pkg $target ($FUZZTIME)"
				break
			fi
			if grep -q 'Failing input written to' <<<"$out"; then
				echo "fuzz FAIL $pkg $target" >&2
				echo "$out" >&2
				status=1
				break
			fi
			if [ $attempt -eq 3 ]; then
				echo "fuzz run of $pkg $target did not complete:" >&2
				echo "$out" >&2
				status=1
			else
				echo "fuzz run of $pkg $target ended early without a failing input; retrying" >&2
			fi
		done
	done
done
exit $status
