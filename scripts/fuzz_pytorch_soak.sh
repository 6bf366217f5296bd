#!/bin/sh
# Soak run of the PyTorch checkpoint fuzz tests (Tests/ModelTests/PyTorch/PyTorchFuzzTests.swift):
# ROUNDS rounds with fresh seeds and CASES mutations per kind and file (the test suite's default
# is 30). A round fails on any crash, hang (TIMEOUT seconds), unclear error, or a peak memory above
# LIMIT_MB. The failing seed is printed so the round can be replayed:
#   SHUFFLESCOPE_FUZZ_SEED=<seed> SHUFFLESCOPE_FUZZ_CASES=<cases> swift test --filter PyTorchFuzzTests
#
# Needs only Swift (no Python). Usage, from the repository root:
#   scripts/fuzz_pytorch_soak.sh [ROUNDS=10] [CASES=400] [LIMIT_MB=1024] [TIMEOUT=1800]
set -eu
rounds=${1:-10}
cases=${2:-400}
limit_mb=${3:-1024}
timeout_s=${4:-1800}

swift build --build-tests >/dev/null
log=$(mktemp)
trap 'rm -f "$log"' EXIT
round=1
while [ "$round" -le "$rounds" ]; do
    seed=$(( $(date +%s) * 1000 + round ))
    start=$(date +%s)
    if command -v /usr/bin/time >/dev/null 2>&1; then
        measure="/usr/bin/time -f %M"
    else
        measure=""
    fi
    if ! SHUFFLESCOPE_FUZZ_CASES=$cases SHUFFLESCOPE_FUZZ_SEED=$seed \
        timeout "$timeout_s" $measure swift test --skip-build --filter PyTorchFuzzTests >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "round $round FAILED: seed $seed, cases $cases"
        exit 1
    fi
    peak_kb=$(tail -n 1 "$log" | tr -dc '0-9')
    echo "round $round: seed $seed, $cases cases per kind and file, $(( $(date +%s) - start )) s, peak ${peak_kb:-?} KB"
    if [ -n "$peak_kb" ] && [ "$peak_kb" -gt $(( limit_mb * 1024 )) ]; then
        echo "round $round FAILED: peak memory ${peak_kb} KB is over ${limit_mb} MB (seed $seed)"
        exit 1
    fi
    round=$(( round + 1 ))
done
echo "all $rounds rounds passed"
