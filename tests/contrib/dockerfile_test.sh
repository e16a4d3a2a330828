#!/usr/bin/env bash
# The repository's Dockerfile, built by buildah as a user builds it, then linted by permdoctor
# itself: the built binary and the binary inside the image must both find nothing at warning or
# above. There is no registry, so the build stage's Debian 12 base is made with debootstrap from
# the Debian mirror apt uses (once; it stays in buildah's storage as localhost/pd-debian:12).
#
# Slow (apt-get in the build stage and a full compile without ccache: minutes), so it runs only
# with PD_TEST_DOCKERFILE=1; otherwise it exits 77, which ctest reports as skipped.
#   usage: dockerfile_test.sh PERMDOCTOR_BINARY SOURCE_DIR
#   env:   PD_DEBIAN_MIRROR (default http://deb.debian.org/debian), PD_FIXTURE_STORAGE (lib.sh)
set -euo pipefail
permdoctor=$(realpath "$1")
src=$(realpath "$2")

if [ "${PD_TEST_DOCKERFILE:-}" != 1 ]; then
  echo "skipped: set PD_TEST_DOCKERFILE=1 to build the Dockerfile (slow, needs the Debian mirror)"
  exit 77
fi
# shellcheck source=fixtures/lib.sh disable=SC1091
. "$src/fixtures/lib.sh"
require_tools buildah podman jq

work=$(mktemp -d /tmp/pd-dockerfile.XXXXXX)
ctr=
cleanup() {
  [ -z "$ctr" ] || bah rm "$ctr" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }
elapsed() { echo "$((SECONDS - $1)) s"; }
check() { # WHAT COMMAND...: pass when COMMAND succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
# `buildah run` in the image's container; without --user it runs as the image's USER.
# shellcheck disable=SC2086
run_in() { bah run $ISOLATION_OPTS "$ctr" -- "$@"; }

base=localhost/pd-debian:12
if ! bah inspect --type image "$base" >/dev/null 2>&1; then
  require_tools debootstrap
  t=$SECONDS
  debootstrap --variant=minbase bookworm "$work/rootfs" "${PD_DEBIAN_MIRROR:-http://deb.debian.org/debian}" \
    >"$work/debootstrap.log" 2>&1 || { tail -n 20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
  tar -C "$work/rootfs" -c . | pod import -q - "$base" >/dev/null
  rm -rf "$work/rootfs"
  echo "made $base with debootstrap in $(elapsed $t)"
fi

image=localhost/permdoctor:selftest
t=$SECONDS
if ! bud --layers --build-arg "DEBIAN=$base" -t "$image" "$src" >"$work/build.log" 2>&1; then
  tail -n 40 "$work/build.log" >&2
  die "building the Dockerfile failed"
fi
echo "built $image in $(elapsed $t)"
pod save -q -o "$work/permdoctor.tar" "$image"

# 1. permdoctor (the build tree's binary) on the image: nothing at warning or above.
status=0
"$permdoctor" lint "$work/permdoctor.tar" --quiet --fail-on warning --format json \
  --output "$work/report.json" --format text || status=$?
if [ "$status" -eq 0 ]; then pass "no finding at warning or above"; else fail "lint exit $status"; fi
summary=$(jq -c '.summary | {error, warning}' "$work/report.json")
check "summary $summary" [ "$summary" = '{"error":0,"warning":0}' ]

# 2. What ships: one layer, a numeric non-root user, the binary and its libraries, no shell.
user=$(jq -r .image.user "$work/report.json")
check "USER is $user" [ "$user" = 65532:65532 ]
layers=$(jq '.image.layers | length' "$work/report.json")
check "$layers layer(s)" [ "$layers" = 1 ]
"$permdoctor" inspect "$work/permdoctor.tar" >"$work/tree.txt"
check "ships the binary" grep -q ' /usr/local/bin/permdoctor$' "$work/tree.txt"
check "ships the ELF loader" grep -q ' /lib64/ld-linux-x86-64.so.2$' "$work/tree.txt"
if grep -Eq ' /(usr/)?s?bin/(sh|bash|busybox|dash)$' "$work/tree.txt"; then
  fail "a shell ships"
else
  pass "no shell"
fi
echo "image: $(grep -c '^-' "$work/tree.txt") files, $(wc -c <"$work/permdoctor.tar") bytes as docker-archive"

# 3. The binary inside the image, run as the image runs it (USER 65532), lints its own image.
ctr=$(bah from --pull-never "$image")
status=0
run_in /usr/local/bin/permdoctor lint - --quiet --fail-on warning \
  <"$work/permdoctor.tar" >"$work/self.txt" 2>&1 || status=$?
if [ "$status" -eq 0 ] && grep -q '^0 errors, 0 warnings' "$work/self.txt"; then
  pass "the image's own permdoctor lints the image clean: $(tail -n 1 "$work/self.txt")"
else
  fail "the image's own permdoctor: exit $status"
  cat "$work/self.txt" >&2
fi
# ... and really as 65532, not root: an archive only root may read is refused, and the same
# command as root reads it.
install -m 0600 "$work/permdoctor.tar" "$work/root-only.tar"
lint_root_only() { # [buildah run options]
  # shellcheck disable=SC2086
  bah run $ISOLATION_OPTS -v "$work/root-only.tar:/root-only.tar:ro" "$@" "$ctr" -- \
    /usr/local/bin/permdoctor lint /root-only.tar --quiet --format json >/dev/null 2>&1
}
refused_root_only() { ! lint_root_only "$@"; }
check "runs as non-root: a root-only 0600 archive cannot be opened" refused_root_only
check "... which root can open" lint_root_only --user 0:0
version=$(run_in /usr/local/bin/permdoctor --version 2>&1 | head -n 1) || true
check "--version in the image: $version" [ -n "$version" ]

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "the Dockerfile builds and the image lints clean"
