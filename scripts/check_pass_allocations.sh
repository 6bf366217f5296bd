#!/usr/bin/env bash
# Checks that the fast path allocates nothing per pass once warmed up: runs `shufflescope bench`
# under valgrind with 2 and with 12 timed passes and compares the heap allocation counts, for v1
# and v2: they must be equal.
#
# On one thread. With two, the counts vary between processes by a few dozen whatever the number
# of passes (the worker thread's first uses of the Swift runtime race the caller's), and valgrind
# runs the spinning threads one at a time, so hundreds of passes would be needed to tell one
# allocation per pass from that, at minutes each; the pool's loops hand jobs over by address
# (`ThreadPool.parallelFor`), which the one-thread run does not exercise.
#
# Valgrind has no AVX-512, so the binary runs its AVX2 kernels (the engine code around them is
# the same in every kernel build), and it cannot parse the toolchain's DWARF 5, so a copy
# without debug info is checked. Takes about four minutes.
#
#   apt-get install valgrind binutils
#   scripts/check_pass_allocations.sh [.build/release/shufflescope]
set -euo pipefail
binary="${1:-.build/release/shufflescope}"
[ -x "$binary" ] || { echo "no executable at $binary (swift build -c release first)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
objcopy --strip-debug "$binary" "$work/shufflescope"

# Heap allocations of one `bench` process: allocations NAME ARGS... writes $work/NAME.
allocations() {
    local name="$1"
    shift
    SHUFFLESCOPE_KERNELS=avx2 valgrind --leak-check=no "$work/shufflescope" bench --seeded --warmup 2 "$@" 2>&1 \
        | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d , > "$work/$name"
}

status=0
for arch in v1 v2; do
    allocations few --arch "$arch" --threads 1 --runs 2 &
    allocations more --arch "$arch" --threads 1 --runs 12 &
    wait
    few_count="$(cat "$work/few")" more_count="$(cat "$work/more")"
    if [ -z "$few_count" ] || [ -z "$more_count" ]; then
        echo "FAIL $arch: valgrind gave no allocation count" >&2
        status=1
    elif [ "$few_count" != "$more_count" ]; then
        echo "FAIL $arch: $few_count allocations for 2 passes, $more_count for 12" >&2
        status=1
    else
        echo "ok   $arch: $few_count allocations for 2 passes and for 12"
    fi
done
exit "$status"
