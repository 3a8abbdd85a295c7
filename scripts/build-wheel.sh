#!/usr/bin/env bash
# Builds the Python wheel: the static CLI (headroom and headroom-serve, Swift's
# runtime linked in, glibc dynamic so the NVIDIA driver can be dlopened) and
# libheadroom.so (the C interface, Swift's runtime linked in), stripped, packed
# with python/ into one platform wheel. The tag is the lowest glibc the
# binaries need, as `auditwheel show` reads it.
#
#   scripts/build-wheel.sh [output-dir]      (default .whl/)
#
# The build tools (build, wheel, auditwheel) go into .build-wheel-venv/.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.whl}"
mkdir -p "$out"

echo "build-wheel: release binaries"
swift build -c release --static-swift-stdlib --product headroom 2>&1 | grep -E "error:|Compiling|Build" | tail -2
swift build -c release --static-swift-stdlib --product headroom-serve 2>&1 | grep -E "error:|Build" | tail -1
# The library links Swift's runtime statically; other flags, so another build folder.
swift build -c release --scratch-path .build-lib -Xswiftc -static-stdlib --product HeadroomC 2>&1 | grep -E "error:|Build" | tail -1
bin="$(swift build -c release --static-swift-stdlib --show-bin-path)"
lib="$(swift build -c release --scratch-path .build-lib -Xswiftc -static-stdlib --show-bin-path)/libHeadroomC.so"

echo "build-wheel: the library depends on"
ldd "$lib" | awk '{print "  " $1}'

if [ ! -x .build-wheel-venv/bin/python ]; then
    python3 -m venv .build-wheel-venv
    .build-wheel-venv/bin/pip install --quiet --upgrade pip build wheel auditwheel "setuptools>=68"
fi
tools=.build-wheel-venv/bin

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
cp -r python/pyproject.toml python/README.md python/headroom "$stage/" 2>/dev/null || cp -r python/pyproject.toml python/headroom "$stage/"
find "$stage" -name __pycache__ -prune -exec rm -rf {} +
mkdir -p "$stage/headroom/bin" "$stage/headroom/include"
strip -o "$stage/headroom/bin/headroom" "$bin/headroom"
strip -o "$stage/headroom/bin/headroom-serve" "$bin/headroom-serve"
strip -o "$stage/headroom/libheadroom.so" "$lib"
cp Sources/HeadroomC/headroom.h "$stage/headroom/include/"

"$tools/python" -m build --wheel --no-isolation --outdir "$stage/dist" "$stage" >/dev/null
plain="$(ls "$stage"/dist/*.whl)"
# Platform-specific: first as linux_x86_64 (what auditwheel inspects), then as the manylinux tag it names.
"$tools/wheel" tags --remove --python-tag py3 --abi-tag none --platform-tag "linux_$(uname -m)" "$plain" >/dev/null
linux="$(ls "$stage"/dist/*linux_*.whl)"
tag="$("$tools/auditwheel" show "$linux" | tr -s ' \n' '  ' | grep -oE 'manylinux_[0-9]+_[0-9]+_[a-z0-9_]+' | head -1)"
[ -n "$tag" ] || { echo "build-wheel: auditwheel named no manylinux tag" >&2; "$tools/auditwheel" show "$linux" >&2; exit 1; }
"$tools/wheel" tags --remove --platform-tag "$tag" "$linux" >/dev/null
wheel="$(ls "$stage"/dist/*"$tag"*.whl)"
rm -f "$out"/headroom_mem-*.whl
cp "$wheel" "$out/"
echo "build-wheel: $out/$(basename "$wheel") ($(( $(stat -c %s "$wheel") / 1048576 )) MiB), tag $tag"
