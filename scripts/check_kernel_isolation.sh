#!/usr/bin/env bash
# Checks that a shufflescope binary runs on any x86-64 CPU: every instruction past baseline
# x86-64 (VEX/EVEX-encoded: mnemonics starting with "v", zmm or mask registers, embedded
# broadcasts) must sit in a function of the AVX2 or AVX-512 kernel builds, which the engine calls
# only on CPUs that have them; zmm/mask/broadcast code only in the AVX-512 build. A generic
# specialisation shared between builds, or code inlined across them, would show up here.
#
#   apt-get install binutils      # objdump; the Swift toolchain provides `swift demangle`
#   scripts/check_kernel_isolation.sh [.build/release/shufflescope]
set -euo pipefail
binary="${1:-.build/release/shufflescope}"
[ -x "$binary" ] || { echo "no executable at $binary (swift build -c release first)" >&2; exit 2; }
listing="$(mktemp)"
trap 'rm -f "$listing"' EXIT
objdump -d --no-show-raw-insn "$binary" > "$listing"

# Function symbols (mangled) whose bodies use the given instruction pattern.
functions_using() {
    awk -v pattern="$1" '/^[0-9a-f]+ <.*>:$/ { name = substr($2, 2, length($2) - 3); next }
        $0 ~ pattern { print name }' "$listing" | sort -u
}
# Extension methods carry their module in the mangled name ("...KernelsAVX2E..."), types and
# free functions their module prefix.
in_build() { grep -E "(Kernels$1E|ShuffleKernels$1)" || true; }
outside_build() { grep -vE "$1" || true; }

vex="$(functions_using '^ +[0-9a-f]+:[[:space:]]+v[a-z0-9]+ ')"
wide="$(functions_using '%zmm|%[xy]mm(1[6-9]|2[0-9]|3[01])|%k[1-7]|\{1to[0-9]+\}')"
stray_vex="$(printf '%s\n' "$vex" | outside_build 'KernelsAVX2E|KernelsAVX512E|ShuffleKernelsAVX2|ShuffleKernelsAVX512' | sed '/^$/d')"
stray_wide="$(printf '%s\n' "$wide" | outside_build 'KernelsAVX512E|ShuffleKernelsAVX512' | sed '/^$/d')"
echo "AVX/AVX2 code: $(printf '%s\n' "$vex" | in_build AVX2 | wc -l) functions in the AVX2 build," \
    "$(printf '%s\n' "$vex" | in_build AVX512 | wc -l) in the AVX-512 build"
echo "AVX-512 code (zmm, masks, broadcasts): $(printf '%s\n' "$wide" | sed '/^$/d' | wc -l) functions"
status=0
if [ -n "$stray_vex" ]; then
    echo "FAIL: instructions past baseline x86-64 outside the AVX2/AVX-512 builds:"
    printf '%s\n' "$stray_vex" | swift demangle --simplified | head -20
    status=1
fi
if [ -n "$stray_wide" ]; then
    echo "FAIL: AVX-512 instructions outside the AVX-512 build:"
    printf '%s\n' "$stray_wide" | swift demangle --simplified | head -20
    status=1
fi
[ "$status" = 0 ] && echo "ok: baseline code stays baseline; AVX-512 code stays in its build"
exit "$status"
