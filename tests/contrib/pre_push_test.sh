#!/usr/bin/env bash
# contrib/pre-push, run by git itself: a real repository, a real bare remote on disk, `git push`.
# There is no docker daemon here, so `docker`/`podman` are shims that `cat` real image archives
# (the fixture images): the hook's save step runs through them and permdoctor reads real archives.
#   usage: pre_push_test.sh PERMDOCTOR_BINARY SOURCE_DIR FIXTURE_IMAGES_DIR
set -euo pipefail
permdoctor=$(realpath "$1")
src=$(realpath "$2")
fixtures=$(realpath "$3")

work=$(mktemp -d /tmp/pd-prepush.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok:   $*"; }

# Shims: `docker save REF` / `podman save REF` print the archive mapped to REF, and log the call.
shims=$work/shims
images=$work/images
mkdir -p "$shims" "$images"
for engine in docker podman; do
  cat >"$shims/$engine" <<EOF
#!/bin/sh
echo "$engine \$*" >>"$work/engine.log"
[ "\$1" = save ] && [ \$# -eq 2 ] || { echo "$engine shim: unsupported: \$*" >&2; exit 125; }
f="$images/\$(printf '%s' "\$2" | tr '/:' '__').tar"
[ -f "\$f" ] || { echo "Error response from daemon: reference does not exist" >&2; exit 1; }
exec cat "\$f"
EOF
  chmod +x "$shims/$engine"
done
ln -s "$permdoctor" "$shims/permdoctor"
for name in demo-lambda-unreadable healthy-generic healthy-lambda; do
  [ -f "$fixtures/$name.tar" ] || { echo "missing fixture image $fixtures/$name.tar" >&2; exit 1; }
  ln -s "$fixtures/$name.tar" "$images/localhost_${name}_latest.tar"
done
broken=localhost/demo-lambda-unreadable:latest  # PD401: an error
healthy=localhost/healthy-generic:latest        # no findings

# A sandbox PATH without docker (the host may have a docker CLI): only what the hook needs.
nodocker=$work/nodocker
mkdir -p "$nodocker"
for t in bash sh env git cat tr; do ln -s "$(command -v "$t")" "$nodocker/$t"; done
ln -s "$permdoctor" "$nodocker/permdoctor"

git init -q --bare -b main "$work/remote.git"
repo=$work/repo
git init -q -b main "$repo"
git -C "$repo" config user.email test@example.com
git -C "$repo" config user.name test
git -C "$repo" remote add origin "$work/remote.git"
cp "$src/contrib/pre-push" "$repo/.git/hooks/pre-push"
chmod +x "$repo/.git/hooks/pre-push"

n=0
commit() { n=$((n + 1)); echo "$n" >"$repo/file"; git -C "$repo" add -A; git -C "$repo" commit -qm "change $n"; }
remote_head() { git --git-dir "$work/remote.git" rev-parse -q --verify refs/heads/main || echo none; }
# push [ENV=VALUE...]: runs `git push` with the shims first on PATH; sets $status and $out.
push() {
  : >"$work/engine.log"
  status=0
  out=$(cd "$repo" && env PATH="$shims:$PATH" "$@" git push -q origin HEAD:refs/heads/main 2>&1) || status=$?
}
expect_accepted() { # WHAT
  if [ "$status" -eq 0 ] && [ "$(remote_head)" = "$(git -C "$repo" rev-parse HEAD)" ]; then
    pass "$1: push accepted"
  else
    fail "$1: push not accepted (status $status)"; echo "$out" >&2
  fi
}
expect_refused() { # WHAT REMOTE_HEAD_BEFORE
  if [ "$status" -ne 0 ] && [ "$(remote_head)" = "$2" ]; then
    pass "$1: push refused, remote unchanged"
  else
    fail "$1: push not refused (status $status, remote $(remote_head), before $2)"; echo "$out" >&2
  fi
}
expect_output() { # WHAT TEXT
  if grep -qF -- "$2" <<<"$out"; then pass "$1: says '$2'"; else fail "$1: no '$2' in:"; echo "$out" >&2; fi
}
expect_log() { # WHAT EXACT_LOG
  local log; log=$(cat "$work/engine.log")
  if [ "$log" = "$2" ]; then pass "$1: ran '$2'"; else fail "$1: engine log is '$log', expected '$2'"; fi
}

# 1. No .permdoctor-images: the hook passes through without saving anything.
commit; push
expect_accepted "no config"
expect_log "no config" ""

# 2. A comments-only config is the same as none.
printf '# no images yet\n\n' >"$repo/.permdoctor-images"
commit; push
expect_accepted "comments only"
expect_log "comments only" ""

# 3. An image with errors: refused, the remote ref does not move, the finding and the reason shown.
echo "$broken" >"$repo/.permdoctor-images"
commit; before=$(remote_head); push
expect_refused "image with errors" "$before"
expect_log "image with errors" "docker save $broken"
expect_output "image with errors" "PD401"
expect_output "image with errors" "push refused: 1 of 1 image(s) failed"
expect_output "image with errors" "git push --no-verify"

# 4. A healthy image: accepted (its info finding does not block at the default --fail-on error).
# (CRLF line ends and a trailing comment are fine.)
printf '# image  options\r\n  %s   # the app\r\n' "$healthy" >"$repo/.permdoctor-images"
commit; push
expect_accepted "healthy image"
expect_log "healthy image" "docker save $healthy"
expect_output "healthy image" "1 image(s) passed"

# 5. Options on the line reach permdoctor: an arm64 deploy target makes the amd64 healthy image
# an error (PD505).
echo "$healthy --platform linux/arm64" >"$repo/.permdoctor-images"
commit; before=$(remote_head); push
expect_refused "--platform linux/arm64 from the config" "$before"

# 6. Several images: all are linted (not only up to the first failure), the worst one decides.
printf '%s\n%s --profile lambda\n%s\n' "$healthy" localhost/healthy-lambda:latest "$broken" \
  >"$repo/.permdoctor-images"
commit; before=$(remote_head); push
expect_refused "three images, one broken" "$before"
expect_log "three images" "$(printf 'docker save %s\n' "$healthy" localhost/healthy-lambda:latest "$broken")"
expect_output "three images" "push refused: 1 of 3 image(s) failed"

# 7. The project's .permdoctor.json applies (the hook runs at the top of the repository).
echo "$broken" >"$repo/.permdoctor-images"
echo '{"ignore": [{"rule": "PD401", "path": "/var/task/**", "reason": "demo"}]}' \
  >"$repo/.permdoctor.json"
commit; push
expect_accepted "finding suppressed by .permdoctor.json"
rm "$repo/.permdoctor.json"

# 8. A bad option in the config is a usage error (exit 2): refused, saying so.
echo "$healthy --profile nonsense" >"$repo/.permdoctor-images"
commit; before=$(remote_head); push
expect_refused "bad option" "$before"
expect_output "bad option" "permdoctor failed (exit 2"

# 8b. An image that is not there: refused, saying the save failed.
echo "localhost/never-built:latest" >"$repo/.permdoctor-images"
commit; before=$(remote_head); push
expect_refused "missing image" "$before"
expect_output "missing image" "'docker save' failed"

# 9. PERMDOCTOR_ENGINE=podman picks podman even though docker is on PATH.
echo "$broken" >"$repo/.permdoctor-images"
commit; before=$(remote_head); push PERMDOCTOR_ENGINE=podman
expect_refused "PERMDOCTOR_ENGINE=podman" "$before"
expect_log "PERMDOCTOR_ENGINE=podman" "podman save $broken"

# 10. No docker on PATH: podman is found on its own.
mkdir -p "$work/podman-only"
ln -s "$shims/podman" "$work/podman-only/podman"
echo "$healthy" >"$repo/.permdoctor-images"
commit; : >"$work/engine.log"; status=0
out=$(cd "$repo" && env PATH="$work/podman-only:$nodocker" git push -q origin HEAD:refs/heads/main 2>&1) ||
  status=$?
expect_accepted "podman only"
expect_log "podman only" "podman save $healthy"

# 11. Neither engine: refused with a clear message (not a silent pass).
commit; before=$(remote_head); status=0
out=$(cd "$repo" && env PATH="$nodocker" git push -q origin HEAD:refs/heads/main 2>&1) || status=$?
expect_refused "no engine" "$before"
expect_output "no engine" "neither docker nor podman is on PATH"

# 12. PERMDOCTOR_SKIP=1 skips the check; a push that only deletes a ref is never checked.
echo "$broken" >"$repo/.permdoctor-images"
commit; push PERMDOCTOR_SKIP=1
expect_accepted "PERMDOCTOR_SKIP=1"
expect_log "PERMDOCTOR_SKIP=1" ""
git -C "$repo" push -q --no-verify origin HEAD:refs/heads/extra
: >"$work/engine.log"; status=0
out=$(cd "$repo" && env PATH="$shims:$PATH" git push -q origin --delete extra 2>&1) || status=$?
if [ "$status" -eq 0 ] && ! git --git-dir "$work/remote.git" rev-parse -q --verify refs/heads/extra >/dev/null; then
  pass "deletion-only push accepted"
else
  fail "deletion-only push (status $status)"; echo "$out" >&2
fi
expect_log "deletion-only push" ""

# 13. The real podman, when the fixture build left its images in the storage (no shim): the save
# step as users run it. PERMDOCTOR_ENGINE carries podman's storage options and its full path
# (the shims come first on PATH).
# shellcheck source=fixtures/lib.sh disable=SC1091
. "$src/fixtures/lib.sh"
real_broken=localhost/pd-fx-demo-lambda-unreadable:latest
real_healthy=localhost/pd-fx-healthy-generic:latest
if real_podman=$(command -v podman) && pod image exists "$real_broken" && pod image exists "$real_healthy"; then
  echo "$real_broken" >"$repo/.permdoctor-images"
  commit; before=$(remote_head); push PERMDOCTOR_ENGINE="$real_podman $STORAGE_OPTS"
  expect_refused "real podman, image with errors" "$before"
  expect_log "real podman (not the shims)" ""
  expect_output "real podman, image with errors" "PD401"
  echo "$real_healthy" >"$repo/.permdoctor-images"
  commit; push PERMDOCTOR_ENGINE="$real_podman $STORAGE_OPTS"
  expect_accepted "real podman, healthy image"
else
  echo "skip: real podman (fixture images $real_broken, $real_healthy not in podman's storage)"
fi

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all pre-push checks passed"
