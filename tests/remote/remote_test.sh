#!/usr/bin/env bash
# End-to-end test of permdoctor's remote image sources against real servers (tests/remote/servers.sh):
# a Distribution registry (plain http, TLS + htpasswd, TLS + Bearer tokens), an ECR-like front that
# redirects blob GETs to an S3-like store, dockerd and the podman service, all on 127.0.0.1 and unix
# sockets only. Each image archive is also linted straight from its file, and what permdoctor says
# about the image read from a registry or an engine must be what it says about the archive.
#
#   usage: remote_test.sh PERMDOCTOR_BINARY IMAGES_DIR
#     IMAGES_DIR  the repository's fixtures/third-party (dive-docker-legacy.tar, dive-oci-zstd.tar,
#                 ggcr-hello-world-v25.tar, dive-kaniko-gzip.tar). When the fixture images of
#                 fixtures/build.sh exist ($PD_FIXTURE_IMAGES, default IMAGES_DIR/../../build/
#                 fixture-images), a few of them go through the registry too.
#   env: PD_KEEP=1 keeps the work dir (${TMPDIR:-/tmp}/pd-remote-test.XXXXXX) with every server log
#        and every permdoctor stdout/stderr (out/TAG.out, out/TAG.err).
#
# Output: one line per check, "ok - ..." or "not ok - ..." (a failure is followed by "#" lines with
# the command, its exit status and its stderr); "skip - ..." for a part that cannot run here (and
# why). The last line is "N passed, N failed, N skipped" (skipped counts parts).
# Exit: 1 if any check failed; else 77 if none of the servers (registry, podman, dockerd) could run
# here (the reasons are printed); else 0.
#
# What may legitimately differ between the archive and the same image read from elsewhere:
#   * A finding's layer.digest: skopeo (pd_push) and `podman push` compress uncompressed layers and
#     re-compress gzip ones on the way into a registry (dive-docker-legacy's .tar layers arrive as
#     .tar.gzip blobs, dive-kaniko-gzip's gzip blobs get new bytes, hence new digests), and an
#     engine export (docker save, podman's /images/get) stores layers uncompressed (dive-oci-zstd's
#     zstd layer comes out as a plain tar). The digest names the blob in the source that was read,
#     so it must equal that report's own image.layers[layer.index].digest; it is checked to, and
#     then replaced by the layer's diffId (the digest of the uncompressed tar), which is the same
#     everywhere. The same goes for a layer's blob digest quoted in a finding's evidence (PD304's
#     evidence.layerDigest, seen with the pd304-deleted-secret fixture image).
#   * image.format, source, references, manifestDigest, repoDigest, manifest, and per layer digest, size,
#     mediaType, compression: facts about the source. Everything else about the image (config
#     digest, platform, cmd, user, file count, sizes and diffIds of the layers, ...) and the
#     runtime identity must be equal.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ $# -ne 2 ] || [ ! -x "$1" ] || [ ! -d "$2" ]; then
  echo "usage: $0 PERMDOCTOR_BINARY IMAGES_DIR" >&2
  exit 2
fi
PD=$(realpath "$1")
IMAGES=$(realpath "$2")
t_start=$(date +%s%3N)

work=$(mktemp -d "${TMPDIR:-/tmp}/pd-remote-test.XXXXXX") || exit 2
keep=${PD_KEEP:-0}
# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  [ "$keep" = 1 ] || rm -rf --one-file-system -- "$work" 2>/dev/null || true
}
trap cleanup EXIT
mkdir -p "$work/out" "$work/home" "$work/cwd" "$work/bin" "$work/http"

# shellcheck source-path=SCRIPTDIR source=servers.sh
. "$here/servers.sh"
pd_servers_init "$work/s"

passed=0
failed=0
servers_run=0  # how many of registry, podman, dockerd could run
skipped=0
skip_reasons=()
pass() {
  passed=$((passed + 1))
  echo "ok - $*"
}
fail() {
  failed=$((failed + 1))
  echo "not ok - $*"
}
skip_part() {
  skipped=$((skipped + 1))
  skip_reasons+=("$*")
  echo "skip - $*"
}
note() { echo "# $*"; }
ms_since() { echo $(($(date +%s%3N) - $1)); }

# ------------------------------------------------------------------------------------ running it
# run TAG [VAR=VALUE...] -- ARGS...
#   Runs permdoctor ARGS in an empty working directory and an environment with none of the host's
#   credentials or engines (HOME is an empty dir; DOCKER_CONFIG, REGISTRY_AUTH_FILE,
#   XDG_RUNTIME_DIR, DOCKER_HOST and CONTAINER_HOST unset) plus VAR=VALUE. Sets out/err (files)
#   and rc. Standard input is /dev/null, or the output of the command in the array run_pipe
#   (a real pipe) when that is set. The working directory is $run_cwd when set. Both are reset.
run_pipe=()
run_cwd=
run() {
  local tag=$1 envs=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    envs+=("$1")
    shift
  done
  shift
  out=$work/out/$tag.out
  err=$work/out/$tag.err
  cmd_text="$(printf '%q ' "${envs[@]}" "$PD" "$@")"
  local base=(env -u DOCKER_CONFIG -u REGISTRY_AUTH_FILE -u XDG_RUNTIME_DIR -u DOCKER_HOST
    -u CONTAINER_HOST "HOME=$work/home" "${envs[@]}" timeout 60 "$PD" "$@")
  rc=0
  if [ ${#run_pipe[@]} -gt 0 ]; then
    cmd_text="$(printf '%q ' "${run_pipe[@]}") | $cmd_text"
    (cd "${run_cwd:-$work/cwd}" && {
      "${run_pipe[@]}" 2>"$err.producer" | "${base[@]}"
      exit "${PIPESTATUS[1]}"
    }) >"$out" 2>"$err"
    rc=$?
  else
    (cd "${run_cwd:-$work/cwd}" && "${base[@]}") </dev/null >"$out" 2>"$err" || rc=$?
  fi
  run_pipe=()
  run_cwd=
}
# The last run, for a failure's explanation.
show() {
  echo "#   \$ $cmd_text"
  echo "#   exit status $rc"
  if [ -s "$err" ]; then sed -n '1,6s/^/#   stderr: /p' "$err"; fi
  if [ -n "${1:-}" ]; then printf '%s\n' "$1" | sed 's/^/#   /'; fi
  return 0
}
# expect_ok DESC : the last run exited 0.
expect_ok() {
  if [ "$rc" = 0 ]; then
    pass "$1"
    return 0
  fi
  fail "$1 (exit $rc)"
  show
  return 1
}
lines_of() { awk 'END { print NR }' "$1"; }
# expect_err DESC TEXT... : the last run exited 2 with exactly one stderr line, starting
# "permdoctor: " and containing each TEXT.
expect_err() {
  local d=$1 why="" n p
  shift
  [ "$rc" = 2 ] || why="exit $rc, want 2"
  n=$(lines_of "$err")
  [ "$n" = 1 ] || why="${why:+$why; }$n lines on stderr, want 1"
  [ "$(head -c 12 "$err")" = "permdoctor: " ] || why="${why:+$why; }stderr does not start with 'permdoctor: '"
  for p in "$@"; do
    grep -qF -- "$p" "$err" || why="${why:+$why; }stderr lacks \"$p\""
  done
  if [ -z "$why" ]; then
    pass "$d: $(head -n 1 "$err" | cut -c1-150)"
  else
    fail "$d ($why)"
    show
  fi
}
# jget FILTER [FILE] : jq -r on the last run's stdout (or FILE); empty when not JSON.
jget() { jq -r "$1" "${2:-$out}" 2>/dev/null || true; }
# expect_eq DESC GOT WANT
expect_eq() {
  if [ "$2" = "$3" ]; then
    pass "$1"
  else
    fail "$1"
    show "got:  $2
want: $3"
  fi
}

# -------------------------------------------------------------------------- report comparison
cat >"$work/compare.py" <<'PY'
"""compare.py findings|image|image-converted ARCHIVE_REPORT OTHER_REPORT: exit 1 (and say how) when
they differ. image-converted: the config was rewritten on the way (skopeo --format oci), so its
digest is not compared."""
import difflib
import json
import sys

mode, a_path, b_path = sys.argv[1:4]


def load(p):
    with open(p) as f:
        return json.load(f)


def blob_names(x, blobs):
    """x with every string that is one of this report's layer blob digests replaced by a name."""
    if isinstance(x, dict):
        return {k: blob_names(v, blobs) for k, v in x.items()}
    if isinstance(x, list):
        return [blob_names(v, blobs) for v in x]
    return blobs.get(x, x) if isinstance(x, str) else x


def findings(r):
    layers = (r.get("image") or {}).get("layers") or []
    blobs = {l.get("digest"): "<blob of layer %d, diffId %s>" % (i, l.get("diffId"))
             for i, l in enumerate(layers)}
    out = []
    for f in r.get("findings") or []:
        f = json.loads(json.dumps(f))
        layer = f.get("layer")
        if isinstance(layer, dict) and "digest" in layer:
            i = layer.get("index")
            if isinstance(i, int) and 0 <= i < len(layers) and layers[i].get("digest") == layer["digest"]:
                layer["digest"] = "<blob of layer %d, diffId %s>" % (i, layers[i].get("diffId"))
            else:  # left as it is: it then shows up in the diff
                layer["digest"] = "NOT THE DIGEST OF THIS REPORT'S LAYER %r: %s" % (i, layer["digest"])
        if "evidence" in f:  # e.g. PD304's evidence.layerDigest
            f["evidence"] = blob_names(f["evidence"], blobs)
        out.append(f)
    return out


IMAGE_KEYS = ("architecture", "os", "variant", "cmd", "entrypoint", "user", "workingDir",
              "configDigest", "fileCount", "uncompressedSize")
LAYER_KEYS = ("index", "diffId", "entries", "uncompressedSize", "createdBy")


def image(r):
    img = r.get("image") or {}
    core = {k: img.get(k) for k in IMAGE_KEYS if k != "configDigest" or mode != "image-converted"}
    core["layers"] = [{k: l.get(k) for k in LAYER_KEYS} for l in img.get("layers") or []]
    return {"image": core, "identity": r.get("identity"), "profile": r.get("profile")}


a, b = load(a_path), load(b_path)
x, y = (findings(a), findings(b)) if mode == "findings" else (image(a), image(b))
if x == y:
    sys.exit(0)
if mode == "findings" and sorted(map(json.dumps, x)) == sorted(map(json.dumps, y)):
    print("same findings in another order")
d = difflib.unified_diff(json.dumps(x, indent=1, sort_keys=True).splitlines(),
                         json.dumps(y, indent=1, sort_keys=True).splitlines(),
                         "archive", "other", lineterm="", n=2)
print("\n".join(list(d)[:60]))
sys.exit(1)
PY
# same_as_archive WHAT ARCHIVE_REPORT [image-converted] : the last run's report says what the
# archive's does.
same_as_archive() {
  local what=$1 a=$2 imode=${3:-image} d
  if d=$("$PD_PYTHON" "$work/compare.py" findings "$a" "$out" 2>&1); then
    pass "$what: findings equal the archive's ($(jq -r '[.findings[].rule] | join(",")' "$a"))"
  else
    fail "$what: findings differ from the archive's"
    show "$d"
  fi
  if d=$("$PD_PYTHON" "$work/compare.py" "$imode" "$a" "$out" 2>&1); then
    pass "$what: image config, layer diffIds and identity equal the archive's"
  else
    fail "$what: image config/layers/identity differ from the archive's"
    show "$d"
  fi
}

# ---------------------------------------------------------------------------------- registry
ACCEPT="application/vnd.oci.image.index.v1+json,application/vnd.docker.distribution.manifest.list.v2+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json"
# manifest_digest URL [CURL_ARGS...] : sha256 of the manifest bytes the registry serves for URL;
# the body is kept in $work/http/manifest.*, and the last one is also $work/http/last.body.
manifest_digest() {
  local url=$1 code mbody
  shift
  mbody=$(mktemp "$work/http/manifest.XXXXXX") || return 1
  code=$(curl -s --max-time 20 -o "$mbody" -w '%{http_code}' -H "Accept: $ACCEPT" "$@" "$url") || true
  [ "$code" = 200 ] || { echo "HTTP $code from $url" >&2; return 1; }
  cp "$mbody" "$work/http/last.body"
  echo "sha256:$(sha256sum "$mbody" | cut -d' ' -f1)"
}
# platform_of REPORT : os/arch[/variant]
platform_of() { jq -r '.image | [.os, .architecture] + (if (.variant // "") != "" then [.variant] else [] end) | join("/")' "$1"; }
# expected_manifest_digest PLATFORM : when the last manifest_digest fetched an index, the digest
# of its manifest for PLATFORM; else the digest of that manifest itself.
expected_manifest_digest() {
  "$PD_PYTHON" - "$work/http/last.body" "$1" <<'PY'
import hashlib, json, sys
body = open(sys.argv[1], "rb").read()
m = json.loads(body)
if "manifests" in m:
    want = sys.argv[2].split("/")
    for d in m["manifests"]:
        p = d.get("platform") or {}
        have = [p.get("os", ""), p.get("architecture", "")] + ([p["variant"]] if p.get("variant") else [])
        if have == want:
            print(d["digest"]); break
else:
    print("sha256:" + hashlib.sha256(body).hexdigest())
PY
}

need=(docker-registry skopeo curl openssl htpasswd jq)
missing=()
for t in "${need[@]}"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
have_registry=0
if [ ${#missing[@]} -gt 0 ]; then
  skip_part "registry parts (1-7): missing ${missing[*]}"
else
  t0=$(date +%s%3N)
  if pd_start_registry plain http; then
    have_registry=1
    servers_run=$((servers_run + 1))
    H=$PD_REG_PLAIN_HOST
    note "http registry $H up in $(ms_since "$t0") ms"
  else
    fail "start the http registry"
  fi
fi

# --- 1. each archive: pushed to the http registry, read back, compared with the archive.
archives=()
for n in dive-docker-legacy dive-oci-zstd ggcr-hello-world-v25 dive-kaniko-gzip; do
  if [ -f "$IMAGES/$n.tar" ]; then archives+=("$IMAGES/$n.tar"); else fail "archive $IMAGES/$n.tar exists"; fi
done
# Fixture images (fixtures/build.sh), when they were built: a few whose findings sit in particular
# layers or files. A .tar counts once its .stamp exists (build.sh writes the stamp last).
extra_dir=${PD_FIXTURE_IMAGES:-$IMAGES/../../build/fixture-images}
extra_list=()
for n in demo-lambda-unreadable pd304-deleted-secret pd303-secret-files pd107-setuid \
  pd106-world-writable pd105-app-unreadable pd104-arch-mismatch-arm64-elf; do
  if [ -f "$extra_dir/$n.tar" ] && [ -f "$extra_dir/$n.stamp" ]; then extra_list+=("$extra_dir/$n.tar"); fi
done
if [ ${#extra_list[@]} -gt 0 ]; then
  archives+=("${extra_list[@]}")
  note "also ${#extra_list[@]} fixture images from $extra_dir"
fi
declare -A repo_digest=() areport=()
L0=dive-docker-legacy
Z0=dive-oci-zstd
nodock=unix://$work/no-docker.sock  # sockets that do not exist: "no such engine here"
nopod=unix://$work/no-podman.sock
if [ $have_registry = 1 ]; then
  t1=$(date +%s%3N)
  for a in "${archives[@]}"; do
    n=$(basename "$a" .tar)
    repo=pd/$(tr 'A-Z_' 'a-z-' <<<"$n")
    run "archive-$n" -- lint "$a" --format json -q --fail-on never
    if [ "$rc" != 0 ]; then
      fail "$n: lint the archive (exit $rc)"
      show
      continue
    fi
    areport[$n]=$out
    plat=$(platform_of "$out")
    pargs=()
    [ "$(jget .image.architecture)" = amd64 ] || pargs=(--platform "$plat")
    if ! pd_push "$H" "$a" "$repo:1" 2>"$work/out/push-$n.err"; then
      fail "$n: pd_push to $H/$repo:1"
      sed 's/^/#   /' "$work/out/push-$n.err" | head -n 10
      continue
    fi
    if ! dg=$(manifest_digest "http://$H/v2/$repo/manifests/1" 2>"$work/out/curl-$n.err"); then
      fail "$n: curl the pushed manifest: $(cat "$work/out/curl-$n.err")"
      continue
    fi
    repo_digest[$n]=$dg
    run "reg-$n" -- lint "docker://$H/$repo:1" --insecure --format json -q --fail-on never "${pargs[@]}"
    expect_ok "$n: lint docker://$H/$repo:1 --insecure ${pargs[*]}" || continue
    expect_eq "$n: image.format is registry" "$(jget .image.format)" registry
    expect_eq "$n: image.repoDigest is $H/$repo@ + sha256 of the manifest bytes (curl)" \
      "$(jget .image.repoDigest)" "$H/$repo@$dg"
    expect_eq "$n: image.manifestDigest is the ($plat) manifest's digest" \
      "$(jget .image.manifestDigest)" "$(expected_manifest_digest "$plat")"
    same_as_archive "$n: registry" "${areport[$n]}"
    # An OCI archive's manifest goes to the registry byte for byte (skopeo keeps the compressed
    # blobs): the archive's own manifestDigest is then the digest the registry serves.
    if [ "$(jget .image.format "${areport[$n]}")" = oci-archive ] &&
      [ "$(jget .image.manifestDigest "${areport[$n]}")" != null ]; then
      expect_eq "$n: the oci-archive's manifestDigest is the digest the registry serves" \
        "$(jget .image.manifestDigest "${areport[$n]}")" "$dg"
    fi
  done
  note "part 1 (${#archives[@]} archives) in $(ms_since "$t1") ms"

  # --- 1b. an image index: the tag names a Docker manifest list / an OCI index, --platform picks
  # the manifest. repoDigest is the digest of what the tag serves (the index), manifestDigest
  # the chosen manifest's. The indexes are PUT by hand over manifests pushed to the same repo.
  t1=$(date +%s%3N)
  MR=pd/multi
  # put_index TAG MEDIA_TYPE PLATFORM=DIGEST... : PUTs an index of those manifests (sizes and
  # media types from the registry) at MR:TAG.
  put_index() {
    local tag=$1 mt=$2 code
    shift 2
    "$PD_PYTHON" - "http://$H/v2/$MR/manifests/" "$mt" "$ACCEPT" "$@" >"$work/http/$tag.index" <<'PY' || return 1
import json, sys, urllib.request
base, mt, accept = sys.argv[1:4]
ms = []
for arg in sys.argv[4:]:
    plat, digest = arg.split("=")
    req = urllib.request.Request(base + digest, headers={"Accept": accept})
    with urllib.request.urlopen(req) as r:
        body = r.read()
        ctype = r.headers["Content-Type"].split(";")[0]
    os_, arch = plat.split("/")[:2]
    ms.append({"mediaType": ctype, "digest": digest, "size": len(body),
               "platform": {"architecture": arch, "os": os_}})
print(json.dumps({"schemaVersion": 2, "mediaType": mt, "manifests": ms}, indent=2))
PY
    code=$(curl -s -o "$work/http/$tag.put" -w '%{http_code}' -X PUT -H "Content-Type: $mt" \
      --data-binary "@$work/http/$tag.index" "http://$H/v2/$MR/manifests/$tag") || true
    [ "$code" = 201 ] || { echo "PUT $MR:$tag -> HTTP $code: $(cat "$work/http/$tag.put")" >&2; return 1; }
  }
  HW=ggcr-hello-world-v25
  if [ -n "${repo_digest[$L0]:-}" ] && [ -n "${repo_digest[$HW]:-}" ] && [ -n "${repo_digest[$Z0]:-}" ] &&
    pd_push "$H" "$IMAGES/$L0.tar" "$MR:amd64" && pd_push "$H" "$IMAGES/$HW.tar" "$MR:arm64" &&
    pd_push "$H" "$IMAGES/$Z0.tar" "$MR:zstd" &&
    skopeo --insecure-policy copy -q --format oci --dest-tls-verify=false \
      "docker-archive:$IMAGES/$L0.tar" "docker://$H/$MR:amd64-oci" >"$work/out/skopeo-oci.log" 2>&1 &&
    d_amd=$(manifest_digest "http://$H/v2/$MR/manifests/amd64") &&
    d_arm=$(manifest_digest "http://$H/v2/$MR/manifests/arm64") &&
    d_zstd=$(manifest_digest "http://$H/v2/$MR/manifests/zstd") &&
    d_amdoci=$(manifest_digest "http://$H/v2/$MR/manifests/amd64-oci") &&
    put_index list application/vnd.docker.distribution.manifest.list.v2+json \
      "linux/amd64=$d_amd" "linux/arm64=$d_arm" &&
    put_index oci application/vnd.oci.image.index.v1+json \
      "linux/amd64=$d_amdoci" "linux/arm64=$d_zstd" &&
    d_list=$(manifest_digest "http://$H/v2/$MR/manifests/list") &&
    d_oci=$(manifest_digest "http://$H/v2/$MR/manifests/oci"); then
    # amd64-oci is dive-docker-legacy converted by skopeo --format oci: its config is rewritten
    # as an OCI config (other bytes, another digest; the same content), hence image-converted.
    for c in "list linux/amd64 $d_list $d_amd $L0 image" "list linux/arm64 $d_list $d_arm $HW image" \
      "oci linux/amd64 $d_oci $d_amdoci $L0 image-converted" "oci linux/arm64 $d_oci $d_zstd $Z0 image"; do
      read -r tag plat want_repo want_man name imode <<<"$c"
      run "index-$tag-${plat#*/}" -- lint "docker://$H/$MR:$tag" --insecure --platform "$plat" \
        --format json -q --fail-on never
      if expect_ok "index: lint docker://$H/$MR:$tag ($tag) --platform $plat"; then
        expect_eq "index $tag $plat: repoDigest is the index's digest" "$(jget .image.repoDigest)" "$H/$MR@$want_repo"
        expect_eq "index $tag $plat: manifestDigest is the $plat manifest's" "$(jget .image.manifestDigest)" "$want_man"
        same_as_archive "$name: from the $tag index, $plat" "${areport[$name]}" "$imode"
      fi
    done
    run index-by-digest -- lint "docker://$H/$MR@$d_list" --insecure --platform linux/arm64 --format json -q --fail-on never
    if expect_ok "index: lint docker://$H/$MR@<manifest list digest> --platform linux/arm64"; then
      expect_eq "index by digest: repoDigest and manifestDigest" \
        "$(jget .image.repoDigest) $(jget .image.manifestDigest)" "$H/$MR@$d_list $d_arm"
    fi
    run index-s390x -- lint "docker://$H/$MR:list" --insecure --platform linux/s390x -q
    expect_err "index: --platform linux/s390x (not in the list) -> exit 2, naming the platforms it has" \
      s390x linux/amd64 linux/arm64
    # no --platform: what `docker pull` picks on this machine
    case $(uname -m) in x86_64) hostplat=amd64:$d_amd ;; aarch64) hostplat=arm64:$d_arm ;; *) hostplat= ;; esac
    if [ -n "$hostplat" ]; then
      run index-default -- lint "docker://$H/$MR:list" --insecure --format json -q --fail-on never
      expect_eq "index: no --platform picks linux/${hostplat%%:*} (this machine's), exit $rc" \
        "$(jget .image.manifestDigest)" "${hostplat#*:}"
    fi
  else
    fail "index: push the manifests and PUT the indexes"
    sed 's/^/#   /' "$work/out/skopeo-oci.log" 2>/dev/null | head -n 5
  fi
  note "part 1b (indexes) in $(ms_since "$t1") ms"

  L=dive-docker-legacy
  LR=pd/$L
  if [ -n "${repo_digest[$L]:-}" ]; then
    dg=${repo_digest[$L]}
    # text report: the digest to deploy by
    run text-$L -- lint "docker://$H/$LR:1" --insecure -q --fail-on never
    if [ "$rc" = 0 ] && grep -qxF "  deploy by: $H/$LR@$dg" "$out"; then
      pass "$L: the text report has '  deploy by: $H/$LR@$dg'"
    else
      fail "$L: the text report lacks '  deploy by: $H/$LR@$dg'"
      show "stdout: $(head -n 3 "$out")"
    fi
    # inspect reads the same merged filesystem from the registry as from the archive
    run inspect-archive -- inspect "$IMAGES/$L.tar"
    cp "$out" "$work/out/inspect-archive.keep"
    run inspect-reg -- inspect "docker://$H/$LR:1" --insecure
    if [ "$rc" = 0 ] && [ -s "$out" ] && cmp -s "$out" "$work/out/inspect-archive.keep"; then
      pass "$L: inspect docker://$H/$LR:1 lists what inspect of the archive lists"
    else
      fail "$L: inspect docker://$H/$LR:1 differs from inspect of the archive"
      show "$(diff "$work/out/inspect-archive.keep" "$out" | head -n 10)"
    fi

    # --- 2. a plain-http registry without --insecure
    run no-insecure -- lint "docker://$H/$LR:1" -q
    expect_err "http registry without --insecure -> exit 2, one line naming --insecure" --insecure

    # exit status as for the archive (PD206 is an error: 1 under the default --fail-on error), and
    # the JSON still on stdout: the README's `digest=$(permdoctor lint docker://... --format json
    # -q | jq -r .image.repoDigest)`
    run failon-archive -- lint "$IMAGES/$L.tar" --format json -q
    arc=$rc
    run failon-reg -- lint "docker://$H/$LR:1" --insecure --format json -q
    expect_eq "$L: default --fail-on: exit status as for the archive ($arc), repoDigest on stdout" \
      "$rc $(jget .image.repoDigest)" "$arc $H/$LR@$dg"

    # --- 3. by digest: docker://<repoDigest>, as the README's CI example does
    run by-digest -- lint "docker://$(jget .image.repoDigest)" --insecure --format json -q --fail-on never
    if expect_ok "lint docker://<repoDigest> ($H/$LR@$dg)"; then
      expect_eq "by digest: the same repoDigest" "$(jget .image.repoDigest)" "$H/$LR@$dg"
      same_as_archive "$L: by digest" "${areport[$L]}"
    fi
    run tag-and-digest -- lint "docker://$H/$LR:nosuchtag@$dg" --insecure --format json -q --fail-on never
    expect_eq "docker://$H/$LR:nosuchtag@<digest>: the digest wins over the tag (exit $rc)" \
      "$(jget .image.repoDigest)" "$H/$LR@$dg"
    zeros=sha256:0000000000000000000000000000000000000000000000000000000000000000
    run zero-digest -- lint "docker://$H/$LR@$zeros" --insecure -q
    expect_err "@sha256:<64 zeros> -> exit 2" "does not exist"
    run no-tag -- lint "docker://$H/$LR:nosuchtag" --insecure -q
    expect_err "unknown tag -> exit 2" "does not exist" nosuchtag
    run no-repo -- lint "docker://$H/pd/nosuchrepo:1" --insecure -q
    expect_err "unknown repository -> exit 2" "does not exist"
    run no-tag-given -- lint "docker://$H/$LR" --insecure -q
    expect_err "no tag means :latest (not pushed here) -> exit 2" "does not exist" latest
    run bad-ref -- lint "docker://$H/Pd/Bad:1" --insecure -q
    expect_err "an upper-case repository is not a reference -> exit 2" "not an image reference"

    # a bare HOST/REPO:TAG that no engine has comes from the registry
    run bare-reg DOCKER_HOST="$nodock" CONTAINER_HOST="$nopod" -- \
      lint "$H/$LR:1" --insecure --format json -q --fail-on never
    if expect_ok "bare $H/$LR:1 --insecure, no engine running"; then
      expect_eq "bare $H/$LR:1 (no engine) is read from the registry" \
        "$(jget .image.repoDigest)" "$H/$LR@$dg"
    fi
    run bare-none DOCKER_HOST="$nodock" CONTAINER_HOST="$nopod" -- lint "$H/pd/nosuchrepo:1" --insecure -q
    expect_err "bare name that nothing has -> exit 2" "no engine or registry has it" "does not exist"
  fi
fi

# --- 10. a file name that does not exist stays a missing file (no engine, no registry lookup)
run nosuch -- lint nosuch.tar -q
expect_err "lint nosuch.tar -> exit 2" "no such file or directory"
run nosuch-inspect -- inspect nosuch.tar
expect_err "inspect nosuch.tar -> exit 2" "no such file or directory"
run tcp-host DOCKER_HOST=tcp://127.0.0.1:2375 -- lint docker-daemon:app:1 -q
expect_err "DOCKER_HOST=tcp://... -> exit 2" "unix://"
run pwstdin-no-creds -- lint docker://127.0.0.1:1/x:1 --password-stdin -q
expect_err "--password-stdin without --creds USER -> exit 2" "--password-stdin" "--creds"
run_pipe=(true)
run pwstdin-empty -- lint docker://127.0.0.1:1/x:1 --creds tester --password-stdin -q
expect_err "--password-stdin with nothing on stdin -> exit 2" "--password-stdin"

# ------------------------------------------------------------------- 5. TLS + htpasswd registry
Z=dive-oci-zstd
ZA=$IMAGES/$Z.tar
ZP=(--platform linux/arm64)
ZR=pd/zstd
# expect_pulled DESC HOST DIGEST : the last run read $ZR from HOST: exit 0, repoDigest HOST/$ZR@DIGEST.
expect_pulled() {
  local d=$1 host=$2 want=$3
  if [ "$rc" = 0 ] && [ "$(jget .image.format)" = registry ] &&
    [ "$(jget .image.repoDigest)" = "$host/$ZR@$want" ]; then
    pass "$d"
  else
    fail "$d"
    show "format $(jget .image.format), repoDigest $(jget .image.repoDigest), want $host/$ZR@$want"
  fi
}
if [ $have_registry = 1 ] && [ -f "$ZA" ]; then
  t1=$(date +%s%3N)
  if ! pd_start_registry basic tls; then
    fail "start the tls registry"
  elif ! pd_push "$PD_REG_BASIC_HOST" "$ZA" "$ZR:1" "$PD_REG_BASIC_CA"; then
    fail "push $Z to the tls registry"
  else
    B=$PD_REG_BASIC_HOST
    CA=$PD_REG_BASIC_CA
    bdg=$(manifest_digest "https://$B/v2/$ZR/manifests/1" --cacert "$CA" -u "$PD_USER:$PD_PASS")
    ref=docker://$B/$ZR:1
    common=(--format json -q --fail-on never "${ZP[@]}")
    run tls-creds -- lint "$ref" --ca-file "$CA" --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_pulled "tls: --ca-file --creds tester:s3cret works" "$B" "$bdg"
    if [ "$rc" = 0 ]; then same_as_archive "$Z: tls registry" "${areport[$Z]:-$work/out/archive-$Z.out}"; fi
    run tls-no-ca -- lint "$ref" --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_err "tls: no --ca-file -> exit 2 naming --ca-file" --ca-file
    run tls-insecure -- lint "$ref" --insecure --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_pulled "tls: --insecure (TLS unverified) --creds works" "$B" "$bdg"
    run tls-anon -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_err "tls: no credentials anywhere -> exit 2" unauthorized "needs credentials"
    run tls-wrong -- lint "$ref" --ca-file "$CA" --creds "$PD_USER:wrong" "${common[@]}"
    expect_err "tls: wrong password -> exit 2" unauthorized "--creds"
    run_pipe=(printf '%s\n' "$PD_PASS")
    run tls-stdin -- lint "$ref" --ca-file "$CA" --creds "$PD_USER" --password-stdin "${common[@]}"
    expect_pulled "tls: --creds tester --password-stdin, password piped (with its newline)" "$B" "$bdg"

    auth64=$(printf '%s:%s' "$PD_USER" "$PD_PASS" | base64 -w0)
    mkdir -p "$work/auth" "$work/dockercfg" "$work/xdg/containers" "$work/helper-cfg" \
      "$work/store-cfg" "$work/none-cfg"
    printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$auth64" >"$work/auth/auth.json"
    printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$auth64" >"$work/dockercfg/config.json"
    printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$auth64" >"$work/xdg/containers/auth.json"
    printf '{"auths": {"https://%s/v1/": {"auth": "%s"}}}\n' "$B" "$auth64" >"$work/auth/url-key.json"
    # credential helpers: pdtest logs its arguments and standard input and answers tester:s3cret;
    # pdnone answers as docker-credential-osxkeychain does for an unknown host.
    cat >"$work/bin/docker-credential-pdtest" <<EOF
#!/bin/sh
host=\$(cat)
printf '%s\n' "\$*" >>"$work/out/helper.args"
printf '%s' "\$host" >"$work/out/helper.stdin"
printf '{"ServerURL":"%s","Username":"$PD_USER","Secret":"$PD_PASS"}\n' "\$host"
EOF
    cat >"$work/bin/docker-credential-pdnone" <<'EOF'
#!/bin/sh
cat >/dev/null
echo "credentials not found in native keychain"
exit 1
EOF
    chmod +x "$work/bin/docker-credential-pdtest" "$work/bin/docker-credential-pdnone"
    printf '{"credHelpers": {"%s": "pdtest"}}\n' "$B" >"$work/helper-cfg/config.json"
    printf '{"credsStore": "pdtest"}\n' >"$work/store-cfg/config.json"
    printf '{"credHelpers": {"%s": "pdnone"}}\n' "$B" >"$work/none-cfg/config.json"

    run tls-authfile -- lint "$ref" --ca-file "$CA" --authfile "$work/auth/auth.json" "${common[@]}"
    expect_pulled "tls: --authfile with auths.HOST.auth (base64 user:pass)" "$B" "$bdg"
    run tls-urlkey -- lint "$ref" --ca-file "$CA" --authfile "$work/auth/url-key.json" "${common[@]}"
    expect_pulled "tls: an auths key written as a URL (https://HOST/v1/)" "$B" "$bdg"
    run tls-regauth REGISTRY_AUTH_FILE="$work/auth/auth.json" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: \$REGISTRY_AUTH_FILE" "$B" "$bdg"
    run tls-xdg XDG_RUNTIME_DIR="$work/xdg" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: \$XDG_RUNTIME_DIR/containers/auth.json" "$B" "$bdg"
    run tls-dockercfg DOCKER_CONFIG="$work/dockercfg" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: \$DOCKER_CONFIG/config.json auths" "$B" "$bdg"
    mkdir -p "$work/home2/.docker" && cp "$work/dockercfg/config.json" "$work/home2/.docker/"
    run tls-home HOME="$work/home2" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: \$HOME/.docker/config.json auths" "$B" "$bdg"

    rm -f "$work/out/helper.args" "$work/out/helper.stdin"
    run tls-helper DOCKER_CONFIG="$work/helper-cfg" PATH="$work/bin:$PATH" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: credHelpers {HOST: pdtest} runs docker-credential-pdtest" "$B" "$bdg"
    expect_eq "tls: the helper got 'get' and the host on stdin" \
      "$(sort -u "$work/out/helper.args" 2>/dev/null)|$(cat "$work/out/helper.stdin" 2>/dev/null)" "get|$B"
    rm -f "$work/out/helper.args" "$work/out/helper.stdin"
    run tls-store DOCKER_CONFIG="$work/store-cfg" PATH="$work/bin:$PATH" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_pulled "tls: credsStore pdtest runs docker-credential-pdtest" "$B" "$bdg"
    expect_eq "tls: the store helper got 'get' and the host on stdin" \
      "$(sort -u "$work/out/helper.args" 2>/dev/null)|$(cat "$work/out/helper.stdin" 2>/dev/null)" "get|$B"
    run tls-none DOCKER_CONFIG="$work/none-cfg" PATH="$work/bin:$PATH" -- lint "$ref" --ca-file "$CA" "${common[@]}"
    expect_err "tls: helper says 'credentials not found' -> exit 2" unauthorized "needs credentials"
    # --creds wins over an auth file with other (wrong) credentials
    printf '{"auths": {"%s": {"auth": "%s"}}}\n' "$B" "$(printf '%s:bad' "$PD_USER" | base64 -w0)" \
      >"$work/auth/bad.json"
    run tls-creds-first -- lint "$ref" --ca-file "$CA" --authfile "$work/auth/bad.json" \
      --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_pulled "tls: --creds is used before an --authfile" "$B" "$bdg"
  fi
  note "part 5 (tls) in $(ms_since "$t1") ms"
fi

# --------------------------------------------------------------------- 6. token (Bearer) registries
# token_log_has LOG FROM_LINE AUTH : a GET /token after line FROM_LINE of LOG with
# scope=repository:$ZR:pull and service=pd-test-registry, answered 200, with (AUTH=1) or without
# (AUTH=0) an Authorization header.
token_log_has() {
  "$PD_PYTHON" - "$@" "$ZR" "$PD_SERVICE" <<'PY'
import json, sys, urllib.parse
log, start, auth, repo, service = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4], sys.argv[5]
recs = [json.loads(l) for l in open(log).read().splitlines()[start:] if l.strip()]
for r in recs:
    u = urllib.parse.urlsplit(r["path"])
    q = urllib.parse.parse_qs(u.query)
    if (u.path == "/token" and q.get("scope") == ["repository:%s:pull" % repo]
            and q.get("service") == [service] and r.get("status") == 200 and bool(r["authorization"]) == auth):
        sys.exit(0)
print("token.log since line %d: %s" % (start, json.dumps(recs)[:600]))
sys.exit(1)
PY
}
log_lines() { if [ -f "$1" ]; then awk 'END { print NR }' "$1"; else echo 0; fi; }
if [ $have_registry = 1 ] && [ -f "$ZA" ]; then
  t1=$(date +%s%3N)
  ok_tok=1
  pd_start_registry tok token || ok_tok=0
  pd_start_registry tokauth token --require-auth || ok_tok=0
  pd_start_registry tokat token --field access_token || ok_tok=0
  if [ $ok_tok = 0 ]; then
    fail "start the token registries"
  else
    for r in tok tokauth tokat; do
      v=$(_pd_var "$r")
      hv=PD_REG_${v}_HOST
      cv=PD_REG_${v}_CA
      pd_push "${!hv}" "$ZA" "$ZR:1" "${!cv}" || fail "push $Z to the $r registry"
    done
    common=(--format json -q --fail-on never "${ZP[@]}")
    T=$PD_REG_TOK_HOST
    tdg=$(manifest_digest "https://$T/v2/$ZR/manifests/1" --cacert "$PD_REG_TOK_CA" \
      -H "Authorization: Bearer x")  # silly auth: any Authorization header will do
    log=$work/s/tok/token.log
    from=$(log_lines "$log")
    run tok-anon -- lint "docker://$T/$ZR:1" --ca-file "$PD_REG_TOK_CA" "${common[@]}"
    expect_pulled "token: anonymous (the token server hands out anonymous tokens)" "$T" "$tdg"
    if d=$(token_log_has "$log" "$from" 0); then
      pass "token: token.log has an anonymous GET /token with scope=repository:$ZR:pull, service=$PD_SERVICE"
    else
      fail "token: no anonymous token request with the scope and service in token.log"
      show "$d"
    fi
    from=$(log_lines "$log")
    run tok-creds -- lint "docker://$T/$ZR:1" --ca-file "$PD_REG_TOK_CA" --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_pulled "token: with --creds" "$T" "$tdg"
    if d=$(token_log_has "$log" "$from" 1); then
      pass "token: with --creds the token request carries Basic credentials, scope and service"
    else
      fail "token: with --creds no authorized token request with the scope and service in token.log"
      show "$d"
    fi

    TA=$PD_REG_TOKAUTH_HOST
    log=$work/s/tokauth/token.log
    from=$(log_lines "$log")
    run tokauth-creds -- lint "docker://$TA/$ZR:1" --ca-file "$PD_REG_TOKAUTH_CA" --creds "$PD_USER:$PD_PASS" "${common[@]}"
    expect_pulled "token --require-auth: with --creds" "$TA" "$tdg"
    if d=$(token_log_has "$log" "$from" 1); then
      pass "token --require-auth: token.log has the authorized request with scope and service"
    else
      fail "token --require-auth: no authorized token request with the scope and service"
      show "$d"
    fi
    run tokauth-anon -- lint "docker://$TA/$ZR:1" --ca-file "$PD_REG_TOKAUTH_CA" "${common[@]}"
    expect_err "token --require-auth: no credentials -> exit 2" unauthorized "needs credentials"
    run tokauth-wrong -- lint "docker://$TA/$ZR:1" --ca-file "$PD_REG_TOKAUTH_CA" --creds "$PD_USER:wrong" "${common[@]}"
    expect_err "token --require-auth: wrong password -> exit 2" unauthorized "--creds"

    TT=$PD_REG_TOKAT_HOST
    run tokat -- lint "docker://$TT/$ZR:1" --ca-file "$PD_REG_TOKAT_CA" "${common[@]}"
    expect_pulled "token --field access_token: the token in access_token is used" "$TT" "$tdg"
  fi
  note "part 6 (token) in $(ms_since "$t1") ms"
fi

# ------------------------------------------------------------------- 7. ECR-like redirect front
if [ $have_registry = 1 ] && [ -n "${repo_digest[dive-docker-legacy]:-}" ]; then
  t1=$(date +%s%3N)
  L=dive-docker-legacy
  LR=pd/$L
  if ! pd_start_redirect_front ecr "$H"; then
    fail "start the redirect front"
  else
    FH=$PD_FRONT_ECR_HOST
    flog=$work/s/ecr/front.log
    from=$(log_lines "$flog")
    run front -- lint "docker://$FH/$LR:1" --insecure --creds "$PD_USER:$PD_PASS" --format json -q --fail-on never
    if expect_ok "front: lint docker://$FH/$LR:1 --insecure --creds (blobs through 307 to s3)"; then
      expect_eq "front: repoDigest names the front" "$(jget .image.repoDigest)" "$FH/$LR@${repo_digest[$L]}"
      same_as_archive "$L: through the front" "${areport[$L]}"
    fi
    nblobs=$(($(jq '.image.layers | length' "${areport[$L]}") + 1))  # config + layers
    if d=$("$PD_PYTHON" - "$flog" "$from" "$nblobs" <<'PY'
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):] if l.strip()]
want = int(sys.argv[3])
redir = [r for r in recs if r["server"] == "front" and r["status"] == 307]
s3 = [r for r in recs if r["server"] == "s3" and r["method"] == "GET"]
bad = [r for r in s3 if r["authorization"] or r["status"] not in (200, 206)]
ok = len(redir) >= want and all(r["authorization"] for r in redir) and len(s3) >= want and not bad
if not ok:
    print("%d redirects, %d s3 GETs (want >= %d each); s3 GETs with Authorization or not 200: %s"
          % (len(redir), len(s3), want, json.dumps(bad)[:400]))
sys.exit(0 if ok else 1)
PY
    ); then
      pass "front.log: $nblobs blob GETs redirected (307, with auth), each fetched from s3 without Authorization (200)"
    else
      fail "front.log: blob redirects / s3 fetches not as expected"
      show "$d"
    fi
    run front-anon -- lint "docker://$FH/$LR:1" --insecure -q
    expect_err "front: no credentials -> exit 2" unauthorized "needs credentials"
  fi
  note "part 7 (front) in $(ms_since "$t1") ms"
fi

# ---------------------------------------------------------------------- 9. podman service (+ 4.)
L=dive-docker-legacy
LA=$IMAGES/$L.tar
# The archives' reports, for the engines (made in part 1 when the registry could run).
for n in $L $Z; do
  if [ -z "${areport[$n]:-}" ] && [ -f "$IMAGES/$n.tar" ]; then
    run "archive-$n" -- lint "$IMAGES/$n.tar" --format json -q --fail-on never
    [ "$rc" = 0 ] && areport[$n]=$out
  fi
done
# name_in_archive ARCHIVE_REPORT : its first reference (the RepoTags of a docker save), e.g. dive-test:latest
LN=$(jget '.image.references[0] // empty' "${areport[$L]:-/dev/null}")
[ -n "$LN" ] || LN=dive-test:latest
rc=0
t1=$(date +%s%3N)
pd_start_podman_service 2>"$work/out/podman-start.err" || rc=$?
if [ $rc = 77 ]; then
  skip_part "podman (parts 9 and 4): $(tr '\n' ' ' <"$work/out/podman-start.err" | cut -c1-300)"
elif [ $rc != 0 ]; then
  fail "start the podman service (status $rc)"
  sed 's/^/#   /' "$work/out/podman-start.err" | tail -n 20
else
  servers_run=$((servers_run + 1))
  note "podman service up in $(ms_since "$t1") ms: $PD_PODMAN_SOCK"
  PH=unix://$PD_PODMAN_SOCK
  if o=$(pd_podman load -q -i "$LA" 2>&1); then
    pass "podman: load $L ($(tr '\n' ' ' <<<"$o"))"
    run podman-$L CONTAINER_HOST="$PH" -- lint "podman:$LN" --format json -q --fail-on never
    if expect_ok "podman: lint podman:$LN (CONTAINER_HOST=$PH)"; then
      expect_eq "podman: image.format is podman" "$(jget .image.format)" podman
      expect_eq "podman: image.repoDigest is null" "$(jget .image.repoDigest)" null
      same_as_archive "$L: podman" "${areport[$L]}"
    fi
    # $XDG_RUNTIME_DIR/podman/podman.sock when CONTAINER_HOST is unset
    mkdir -p "$work/xdgp/podman" && ln -sf "$PD_PODMAN_SOCK" "$work/xdgp/podman/podman.sock"
    run podman-xdg XDG_RUNTIME_DIR="$work/xdgp" -- lint "podman:$LN" --format json -q --fail-on never
    expect_eq "podman: found through \$XDG_RUNTIME_DIR/podman/podman.sock (exit $rc)" \
      "$(jget .image.format)" podman
    # bare NAME: no Docker daemon (DOCKER_HOST is a missing socket) -> Podman
    run podman-bare DOCKER_HOST="unix://$work/no-docker.sock" CONTAINER_HOST="$PH" -- \
      lint "$LN" --format json -q --fail-on never
    if expect_ok "podman: bare $LN with no Docker socket"; then
      expect_eq "podman: bare $LN resolves to podman" "$(jget .image.format)" podman
    fi
    run podman-nope CONTAINER_HOST="$PH" -- lint podman:nope:1 -q
    expect_err "podman: podman:nope:1 -> exit 2" nope
    # a bare registry reference Podman does not have falls through to the registry
    if [ $have_registry = 1 ] && [ -n "${repo_digest[$L]:-}" ]; then
      run podman-bare-reg DOCKER_HOST="$nodock" CONTAINER_HOST="$PH" -- \
        lint "$H/pd/$L:1" --insecure --format json -q --fail-on never
      if expect_ok "podman running without it: bare $H/pd/$L:1 --insecure"; then
        expect_eq "podman running without it: bare $H/pd/$L:1 is read from the registry" \
          "$(jget .image.repoDigest)" "$H/pd/$L@${repo_digest[$L]}"
      fi
    fi
  else
    fail "podman: load $L: $o"
  fi
  # kaniko's gzip layers: podman's export has them uncompressed. Loaded into podman only (not
  # into dockerd), for the bare-name order check in the docker part.
  K=dive-kaniko-gzip
  KN=dive-test:kaniko-latest
  if [ -f "$IMAGES/$K.tar" ]; then
    [ -s "$work/out/archive-$K.out" ] || run "archive-$K" -- lint "$IMAGES/$K.tar" --format json -q --fail-on never
    if o=$(pd_podman load -q -i "$IMAGES/$K.tar" 2>&1); then
      run podman-$K CONTAINER_HOST="$PH" -- lint "podman:$KN" --format json -q --fail-on never
      if expect_ok "podman: lint podman:$KN ($K)"; then
        same_as_archive "$K: podman" "$work/out/archive-$K.out"
        podman_has_kaniko=1
      fi
      # NAME without a tag is NAME:latest, though Podman has ${KN} too
      run podman-notag CONTAINER_HOST="$PH" -- lint "podman:${LN%:*}" --format json -q --fail-on never
      expect_eq "podman: podman:${LN%:*} (no tag; podman also has $KN) lints ${LN%:*}:latest (exit $rc)" \
        "$(jget .image.configDigest)" "$(jget .image.configDigest "${areport[$L]}")"
    else
      fail "podman: load $K: $o"
    fi
  fi
  # an OCI archive with a zstd layer: permdoctor falls back to Podman's OCI export, which keeps it
  if [ -n "${areport[$Z]:-}" ] && o=$(pd_podman load -q -i "$ZA" 2>&1) &&
    id=$(sed -nE 's/^Loaded image(\(s\))?: *//p' <<<"$o" | head -n 1) &&
    pd_podman tag "$id" localhost/pd-zstd:1 >/dev/null 2>&1; then
    run podman-$Z CONTAINER_HOST="$PH" -- lint podman:pd-zstd:1 --format json -q --fail-on never "${ZP[@]}"
    # (Podman's compat export, /images/get, refuses zstd layers with HTTP 500 "zstd compression
    # is not supported for docker images": permdoctor asks the libpod API for an OCI archive.)
    if expect_ok "podman: lint podman:pd-zstd:1 ($Z loaded and tagged, zstd layer)"; then
      same_as_archive "$Z: podman" "${areport[$Z]}"
    fi
  else
    fail "podman: load and tag $Z: ${o:-}"
  fi

  # --- 4. the `podman push` digest story: the registry's digest is not the local one
  if [ $have_registry = 1 ]; then
    pn=localhost/$LN
    ldg=$(pd_podman inspect --format '{{.Digest}}' "$pn" 2>&1)
    if po=$(pd_podman push -q --tls-verify=false "$pn" "docker://$H/pd/podpush:1" 2>&1) &&
      rdg=$(manifest_digest "http://$H/v2/pd/podpush/manifests/1"); then
      note "podman: local digest $ldg, registry digest $rdg"
      run podpush -- lint "docker://$H/pd/podpush:1" --insecure --format json -q --fail-on never
      if expect_ok "podman push: lint docker://$H/pd/podpush:1"; then
        expect_eq "podman push: repoDigest is the registry's manifest digest (curl)" \
          "$(jget .image.repoDigest)" "$H/pd/podpush@$rdg"
        if [[ $ldg == sha256:* ]] && [ "$(jget .image.repoDigest)" != "$H/pd/podpush@$ldg" ]; then
          pass "podman push: repoDigest differs from the local image digest $ldg (layers compressed at push)"
        else
          fail "podman push: repoDigest vs local digest ($ldg)"
          show "repoDigest $(jget .image.repoDigest)"
        fi
        same_as_archive "$L: podman push" "${areport[$L]}"
      fi
      run podpush-local -- lint "docker://$H/pd/podpush@$ldg" --insecure -q
      expect_err "podman push: docker://$H/pd/podpush@<local digest> -> exit 2" "does not exist"
      # PD503: a deploy pinned to the local digest is caught before the deploy; the registry's
      # digest passes.
      run podpush-pin-local -- lint "docker://$H/pd/podpush:1" --insecure --format json -q \
        --expect-digest "$ldg"
      expect_eq "podman push: --expect-digest <local digest> -> PD503, exit 1" \
        "$rc $(jget '[.findings[] | select(.rule == "PD503")] | length')" "1 1"
      run podpush-pin-registry -- lint "docker://$H/pd/podpush:1" --insecure --format json -q \
        --fail-on never --expect-digest "$rdg"
      expect_eq "podman push: --expect-digest <registry digest> -> no PD503" \
        "$rc $(jget '[.findings[] | select(.rule == "PD503")] | length')" "0 0"
    else
      fail "podman push to $H: $po"
    fi
  fi
fi
note "podman parts in $(ms_since "$t1") ms"

# ----------------------------------------------------------------------------------- 8. dockerd
rc=0
t1=$(date +%s%3N)
pd_start_dockerd 2>"$work/out/dockerd-start.err" || rc=$?
if [ $rc = 77 ]; then
  skip_part "docker (part 8): $(tr '\n' ' ' <"$work/out/dockerd-start.err" | cut -c1-300)"
elif [ $rc != 0 ]; then
  fail "start dockerd (status $rc)"
  sed 's/^/#   /' "$work/out/dockerd-start.err" | tail -n 20
else
  servers_run=$((servers_run + 1))
  note "dockerd up in $PD_DOCKERD_START_MS ms: $PD_DOCKER_HOST"
  DH=$PD_DOCKER_HOST
  if o=$(pd_docker load -i "$LA" 2>&1); then
    pass "docker: load $L ($(tr '\n' ' ' <<<"$o"))"
    run docker-$L DOCKER_HOST="$DH" -- lint "docker-daemon:$LN" --format json -q --fail-on never
    if expect_ok "docker: lint docker-daemon:$LN (DOCKER_HOST=$DH)"; then
      expect_eq "docker: image.format is docker-daemon" "$(jget .image.format)" docker-daemon
      expect_eq "docker: image.repoDigest is null" "$(jget .image.repoDigest)" null
      same_as_archive "$L: docker daemon" "${areport[$L]}"
    fi
    run docker-text DOCKER_HOST="$DH" -- lint "docker-daemon:$LN" -q --fail-on never
    if [ "$rc" = 0 ] && grep -q docker-daemon "$out" && ! grep -q 'deploy by:' "$out"; then
      pass "docker: the text report names docker-daemon and has no 'deploy by:' line"
    else
      fail "docker: text report of docker-daemon:$LN"
      show "$(head -n 3 "$out")"
    fi
    run docker-nope DOCKER_HOST="$DH" -- lint docker-daemon:nope:1 -q
    expect_err "docker: docker-daemon:nope:1 -> exit 2" nope
    # NAME without a tag means NAME:latest, also when the daemon has other tags of NAME: Docker's
    # /images/get?names=NAME exports every tag of the repository (here first the other one).
    HW=ggcr-hello-world-v25
    if [ -f "$IMAGES/$HW.tar" ] && o=$(pd_docker load -i "$IMAGES/$HW.tar" 2>&1) &&
      hid=$(sed -n 's/^Loaded image ID: //p; s/^Loaded image: //p' <<<"$o" | head -n 1) &&
      pd_docker tag "$hid" "${LN%:*}:1-other" >/dev/null 2>&1; then
      run docker-notag DOCKER_HOST="$DH" -- lint "docker-daemon:${LN%:*}" --format json -q --fail-on never
      expect_eq "docker: docker-daemon:${LN%:*} (no tag; the daemon also has ${LN%:*}:1-other) lints ${LN%:*}:latest (exit $rc)" \
        "$(jget .image.configDigest) $(jget '.image.references | join(",")')" \
        "$(jget .image.configDigest "${areport[$L]}") $LN"
    else
      fail "docker: load $HW and tag it ${LN%:*}:1-other: ${o:-}"
    fi
    # an existing path wins over a name: a file called $LN holding another image (kaniko's)
    K=dive-kaniko-gzip
    if [ -f "$IMAGES/$K.tar" ]; then
      [ -s "$work/out/archive-$K.out" ] || run "archive-$K" -- lint "$IMAGES/$K.tar" --format json -q --fail-on never
      mkdir -p "$work/cwd-file" && cp "$IMAGES/$K.tar" "$work/cwd-file/$LN"
      run_cwd=$work/cwd-file
      run docker-path-wins DOCKER_HOST="$DH" -- lint "$LN" --format json -q --fail-on never
      expect_eq "docker: a file named $LN in the working directory wins over the daemon's image" \
        "$rc $(jget .image.format) $(jget .image.configDigest)" \
        "0 docker-archive $(jget .image.configDigest "$work/out/archive-$K.out")"
    fi
    run_pipe=(pd_docker save "$LN")
    run docker-save -- lint - --format json -q --fail-on never
    if expect_ok "docker: docker save $LN | permdoctor lint -"; then
      same_as_archive "$L: docker save | lint -" "${areport[$L]}"
    fi
    # bare NAME: the Docker daemon comes first (podman has the image too when it runs)
    run docker-bare DOCKER_HOST="$DH" CONTAINER_HOST="${PH:-$nopod}" -- \
      lint "$LN" --format json -q --fail-on never
    if expect_ok "docker: bare $LN"; then
      expect_eq "docker: bare $LN resolves to the Docker daemon" "$(jget .image.format)" docker-daemon
    fi
    # a bare name the Docker daemon does not have (404) but Podman has: Podman answers
    if [ "${podman_has_kaniko:-0}" = 1 ]; then
      run docker-bare-podman DOCKER_HOST="$DH" CONTAINER_HOST="$PH" -- lint "$KN" --format json -q --fail-on never
      expect_eq "docker running without it, podman with it: bare $KN is read from podman (exit $rc)" \
        "$(jget .image.format)" podman
    fi
    # inspect from the daemon lists what inspect of the archive lists
    run inspect-archive-l -- inspect "$LA"
    cp "$out" "$work/out/inspect-archive-l.keep"
    run inspect-docker DOCKER_HOST="$DH" -- inspect "docker-daemon:$LN"
    if [ "$rc" = 0 ] && [ -s "$out" ] && cmp -s "$out" "$work/out/inspect-archive-l.keep"; then
      pass "docker: inspect docker-daemon:$LN lists what inspect of the archive lists"
    else
      fail "docker: inspect docker-daemon:$LN differs from inspect of the archive"
      show "$(diff "$work/out/inspect-archive-l.keep" "$out" | head -n 10)"
    fi
    # a bare registry reference the Docker daemon does not have falls through to the registry
    if [ $have_registry = 1 ] && [ -n "${repo_digest[$L]:-}" ]; then
      run docker-bare-reg DOCKER_HOST="$DH" CONTAINER_HOST="$nopod" -- \
        lint "$H/pd/$L:1" --insecure --format json -q --fail-on never
      if expect_ok "docker running without it: bare $H/pd/$L:1 --insecure"; then
        expect_eq "docker running without it: bare $H/pd/$L:1 is read from the registry" \
          "$(jget .image.repoDigest)" "$H/pd/$L@${repo_digest[$L]}"
      fi
    fi
  else
    fail "docker: load $L: $o"
  fi
  # an image built by dockerd itself (the classic builder; no network), read from the daemon
  # and from a real `docker save` pipe: the finding names the RUN that caused it
  ctx=$work/dockerd-build
  cp -r "$here/dockerd-build" "$ctx" && cp /bin/busybox "$ctx/busybox"
  if o=$(DOCKER_BUILDKIT=0 pd_docker build --network none -q -t pd-dbuild:1 "$ctx" 2>&1); then
    run dbuild DOCKER_HOST="$DH" -- lint docker-daemon:pd-dbuild:1 --format json -q --profile lambda
    expect_eq "docker build: PD401 on /var/task/app.py, caused by the RUN chmod (exit $rc)" \
      "$(jget '[.findings[] | select(.rule == "PD401") | .path, (.layer.createdBy | test("chmod 600"))] | join(" ")')" \
      "/var/task/app.py true"
    cp "$out" "$work/out/dbuild.keep"
    run_pipe=(pd_docker save pd-dbuild:1)
    run dbuild-save -- lint - --format json -q --profile lambda
    expect_eq "docker build: docker save | lint - gives the daemon's findings" \
      "$(jq -c '[.findings[] | [.rule, .path]]' "$out")" "$(jq -c '[.findings[] | [.rule, .path]]' "$work/out/dbuild.keep")"
    # with its Dockerfile, the finding sits on the RUN chmod's line (classic builder history)
    run dbuild-dockerfile DOCKER_HOST="$DH" -- lint docker-daemon:pd-dbuild:1 --format json -q \
      --profile lambda --dockerfile "$ctx/Dockerfile"
    expect_eq "docker build: with --dockerfile, PD401 is on line 8, the RUN chmod" \
      "$(jget '[.findings[] | select(.rule == "PD401") | .source.line, .source.instruction, .origin] | join(" ")')" \
      "8 RUN chmod 600 /var/task/app.py image"
  else
    fail "docker build of tests/remote/dockerd-build: $o"
  fi
  # the same Dockerfile through BuildKit, which words its history otherwise (and records ENV,
  # CMD... as the instruction itself)
  if o=$(DOCKER_BUILDKIT=1 pd_docker build --network none -q -t pd-dbuild:bk "$ctx" 2>&1); then
    run dbuild-bk DOCKER_HOST="$DH" -- lint docker-daemon:pd-dbuild:bk --format json -q \
      --profile lambda --dockerfile "$ctx/Dockerfile"
    expect_eq "docker build (BuildKit): with --dockerfile, PD401 is on line 8, the RUN chmod" \
      "$(jget '[.findings[] | select(.rule == "PD401") | .source.line, .source.instruction, .origin] | join(" ")')" \
      "8 RUN chmod 600 /var/task/app.py image"
  else
    fail "docker build (BuildKit) of tests/remote/dockerd-build: $o"
  fi
fi
note "docker part in $(ms_since "$t1") ms"

# ------------------------------------------------------------------------------------- summary
note "total $(ms_since "$t_start") ms"
[ "$keep" != 1 ] || note "work dir kept: $work"
if [ $failed = 0 ] && [ $servers_run = 0 ]; then
  # only the checks that need no server ran: the point of this test could not be tested here
  echo "# no server could run here: $(printf '%s; ' "${skip_reasons[@]}")"
  echo "$passed passed, $failed failed, $skipped skipped"
  exit 77
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ] || exit 1
exit 0
