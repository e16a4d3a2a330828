#!/usr/bin/env bash
# `permdoctor fix` proven the way a user checks it: for fixture images that have a finding
# `fix` can mend, take the fixture's build context, let `fix` write its patch of the
# Dockerfile, apply it with `patch -p0`, rebuild with buildah, and lint again. The finding must
# be gone and no error the original did not have may appear.
#
# usage: fix_rebuild_test.sh PERMDOCTOR FIXTURE_IMAGES_DIR
# Exit: 0 all passed; 1 a check failed; 77 (skipped) when not root or a tool is missing.
set -uo pipefail
PD=$(realpath "$1")
IMAGES=$(realpath "$2")
here=$(cd "$(dirname "$0")" && pwd)
FIXTURES_DIR=$(cd "$here/../../fixtures" && pwd)
# shellcheck source=../../fixtures/lib.sh
. "$FIXTURES_DIR/lib.sh"

for t in buildah patch jq; do
  command -v "$t" >/dev/null 2>&1 || { echo "skip - $t missing"; exit 77; }
done
[ "$(id -u)" = 0 ] || { echo "skip - needs root (buildah --isolation chroot)"; exit 77; }

# fixture  rule it fixes
CASES=(
  "demo-lambda-unreadable PD401"
  "pd102-entry-not-exec PD102"
  "pd105-app-unreadable PD105"
  "pd201-user-root PD201"
  "pd203-named-user PD203"
  "pd302-apt-leftovers PD302"
  "pd402-bootstrap-not-exec PD402"
  "pd409-reserved-env PD409"
  "lambda-py-dir-no-x PD401"
  "pd307-copy-then-chmod PD307"
)

work=$(mktemp -d /tmp/pd-fix.XXXXXX)
images=()
cleanup() {
  for i in "${images[@]}"; do bah rmi -f "$i" >/dev/null 2>&1; done
  rm -rf "$work"
}
trap cleanup EXIT
make_tools "$work/tools"

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
not_ok() {
  failed=$((failed + 1))
  echo "not ok - $1"
  [ -z "${2:-}" ] || sed 's/^/#   /' "$2" | head -n 20
}
# The error-level rules of a JSON report, one per line, sorted.
errors() { jq -r '[.findings[] | select(.severity == "error" and (.suppressed | not)) | .rule] | unique | .[]' "$1"; }

for c in "${CASES[@]}"; do
  read -r name rule <<<"$c"
  ctx=$work/$name
  cp -a "$FIXTURES_DIR/images/$name" "$ctx"
  rm -f "$ctx/expect"
  cp -a "$work/tools" "$ctx/_tools"
  archive=$IMAGES/$name.tar
  "$PD" lint "$archive" --format json -q --fail-on never >"$work/$name.before.json"
  # As a user would: in the build context, with the Dockerfile found there.
  if ! (cd "$ctx" && "$PD" fix "$archive" >"$work/$name.patch" 2>"$work/$name.fixlog"); then
    not_ok "$name: permdoctor fix failed" "$work/$name.fixlog"
    continue
  fi
  if ! grep -q "^fixed $rule " "$work/$name.fixlog"; then
    not_ok "$name: fix did not fix $rule" "$work/$name.fixlog"
    continue
  fi
  if ! (cd "$ctx" && patch -p0 <"$work/$name.patch" >"$work/$name.patchlog" 2>&1); then
    not_ok "$name: patch -p0 did not apply the diff" "$work/$name.patchlog"
    continue
  fi
  image=localhost/pd-fix-$name:latest
  images+=("$image")
  if ! bud --layers -t "$image" "$ctx" >"$work/$name.budlog" 2>&1; then
    not_ok "$name: the patched Dockerfile does not build" "$work/$name.budlog"
    continue
  fi
  out=$work/$name.fixed.tar
  if ! bah push -q "$image" "docker-archive:$out:$image" >"$work/$name.pushlog" 2>&1; then
    not_ok "$name: buildah push failed" "$work/$name.pushlog"
    continue
  fi
  "$PD" lint "$out" --format json -q --fail-on never >"$work/$name.after.json"
  if jq -e --arg r "$rule" '[.findings[] | select(.rule == $r)] | length == 0' \
    "$work/$name.after.json" >/dev/null; then
    ok "$name: $rule is gone after the fix ($(grep "^fixed $rule " "$work/$name.fixlog" | head -n 1 | cut -d: -f2- | sed 's/^ //'))"
  else
    not_ok "$name: $rule still fires after the fix" "$work/$name.patch"
  fi
  new=$(comm -13 <(errors "$work/$name.before.json") <(errors "$work/$name.after.json"))
  if [ -z "$new" ]; then
    ok "$name: no new error"
  else
    not_ok "$name: the fix brought new errors: $new" "$work/$name.patch"
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
