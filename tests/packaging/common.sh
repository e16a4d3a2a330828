# Sourced by the packaging tests that take BUILD_DIR PROJECT_VERSION SHARED_IMAGES_DIR: their
# arguments, fail(), and make_deb, which builds the .deb the way users do (cpack -G DEB).
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
shared=$(cd "$3" && pwd)
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
# Makes $work (a temporary directory, removed on exit) and the .deb in it; sets $deb.
make_deb() {
  cmake --build "$build" --target permdoctor_docs >/dev/null
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
  deb=$work/out/permdoctor_${version}_$(dpkg --print-architecture).deb
  [ -f "$deb" ] || fail "no $deb (cpack said: $(tail -3 "$work/cpack.log"))"
}
