#!/usr/bin/env bash
# Long fuzzing of every parser: runs the bounded fuzz targets of `swift test`
# (Tests/ModelTests/Fuzz) with many more mutations and a new seed each round.
#
#   scripts/fuzz_soak.sh [rounds] [iterations-per-seed] [--asan]
#
# With --asan the targets are built with AddressSanitizer (slower; catches memory errors in the
# C shims and in libpng/libjpeg as they are called). Without it each round runs under a 4 GiB
# address-space cap, so a parser that allocates without bound fails instead of eating the
# machine (AddressSanitizer reserves terabytes of shadow memory, so the cap is left out there).
# A failing round prints its seed; rerun it with
#   FUZZ_SEED=<seed> FUZZ_ITERATIONS=<n> swift test --filter ParserFuzzTests
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-10}"
iterations="${2:-20000}"
sanitize=()
if [ "${3:-}" = "--asan" ]; then sanitize=(--sanitize=address); fi

swift build --build-tests "${sanitize[@]}"
logs="$(mktemp -d)"
for round in $(seq 1 "$rounds"); do
    seed=$(( (RANDOM << 30) ^ (RANDOM << 15) ^ RANDOM ))
    echo "round $round/$rounds: FUZZ_SEED=$seed FUZZ_ITERATIONS=$iterations"
    if ! (
        if [ "${#sanitize[@]}" -eq 0 ]; then ulimit -v $((4 * 1024 * 1024)); fi
        FUZZ_SEED="$seed" FUZZ_ITERATIONS="$iterations" \
            swift test --skip-build "${sanitize[@]}" --filter ParserFuzzTests
    ) >"$logs/round-$round.log" 2>&1; then
        echo "round $round FAILED with FUZZ_SEED=$seed (log: $logs/round-$round.log)"
        exit 1
    fi
done
echo "all $rounds rounds passed (logs in $logs)"
