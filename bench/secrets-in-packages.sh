#!/usr/bin/env bash
# bench/secrets-in-packages.sh [WORKDIR]
#
# PD303/PD304 on the key material real Debian 12 packages ship for their own tests and docs
# (BENCHMARKS.md, "Secrets in installed packages"). Downloads PACKAGES with `apt-get download`,
# extracts them with `dpkg-deb -x` into one tree, counts per package the files that name a
# private-key marker and those that hold a key block, and lints a one-layer image of the tree.
# Positive control: a second image with CONTROLS (key files of those packages copied to app
# paths), where PD303 must report each one.
#   WORKDIR          default /tmp/pd-secrets-in-packages; its debs/ root/ lists/ control/ are remade
#   PERMDOCTOR=path  the binary (default: build/permdoctor of this checkout)
# Exit status: 0 every control reported, 1 a control key not reported, 2 a setup error.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
WORK=${1:-/tmp/pd-secrets-in-packages}
PERMDOCTOR=${PERMDOCTOR:-$here/../build/permdoctor}
PACKAGES=(python3-tornado python3-twisted python3-paramiko python3-requests-toolbelt
  libpython3.11-testsuite golang-1.19-src ruby-httpclient ruby-net-ssh
  node-agent-base node-https-proxy-agent node-ws node-tap node-node-rsa)
# A key file of the tree (PKCS#8, SEC1 EC, legacy-encrypted RSA) = where the app would keep it.
CONTROLS=(
  /usr/lib/python3/dist-packages/tornado/test/test.key=/app/certs/server.key
  /usr/share/go-1.19/src/crypto/tls/testdata/example-key.pem=/srv/app/tls/key.pem
  /usr/share/doc/ruby-httpclient/examples/ssl/0key.pem=/app/test/0key.pem
)
die() { echo "secrets-in-packages: $*" >&2; exit 2; }

for t in apt-get dpkg-deb tar python3; do
  command -v "$t" >/dev/null || die "missing tool: $t"
done
[ -x "$PERMDOCTOR" ] || die "no permdoctor binary at $PERMDOCTOR (set PERMDOCTOR=)"
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
rm -rf "$WORK/debs" "$WORK/root" "$WORK/lists" "$WORK/control"
mkdir -p "$WORK/debs" "$WORK/root" "$WORK/lists" "$WORK/control"

# APT::Sandbox::User=root: the _apt user may not write to WORKDIR.
if ! (cd "$WORK/debs" && apt-get -q -o APT::Sandbox::User=root download "${PACKAGES[@]}") \
    >"$WORK/apt.log" 2>&1; then
  grep -E '^(E|W):' "$WORK/apt.log" >&2 || tail -n 5 "$WORK/apt.log" >&2
  die "apt-get download failed (log: $WORK/apt.log); run apt-get update, check the names"
fi

for p in "${PACKAGES[@]}"; do
  debs=("$WORK/debs/${p}_"*.deb)
  [ -f "${debs[0]}" ] || die "apt-get download left no ${p}_*.deb in $WORK/debs"
  dpkg-deb -x "${debs[0]}" "$WORK/root"
  { dpkg-deb -f "${debs[0]}" Version
    dpkg-deb --fsys-tarfile "${debs[0]}" | tar -t | sed -n 's|^\./|/|p'; } >"$WORK/lists/$p"
done

# One image of the whole tree, one of the control keys at app paths.
for c in "${CONTROLS[@]}"; do
  mkdir -p "$WORK/control$(dirname "${c#*=}")"
  cp "$WORK/root${c%%=*}" "$WORK/control${c#*=}"
done
for img in packages control; do
  src=$WORK/root
  [ "$img" = control ] && src=$WORK/control
  trees=()
  for d in "$src"/*; do trees+=("$d=/${d##*/}"); done
  python3 "$here/host_image.py" "$WORK/$img.tar" "${trees[@]}" >/dev/null
  "$PERMDOCTOR" lint "$WORK/$img.tar" --format json -q --fail-on never >"$WORK/$img.json" \
    || die "permdoctor lint $WORK/$img.tar failed"
done

echo "# secrets in installed packages, $(date -u '+%Y-%m-%d %H:%M UTC'), $("$PERMDOCTOR" --version)"
python3 - "$WORK" "${CONTROLS[@]}" -- "${PACKAGES[@]}" <<'EOF'
import json, os, re, sys
work, rest = sys.argv[1], sys.argv[2:]
controls, packages = rest[:rest.index("--")], rest[rest.index("--") + 1:]
# Marker: a BEGIN line whose label ends in PRIVATE KEY. Key block: the marker, a line break
# (real or an escaped \n), then a base64 body or an RFC 1421 header such as Proc-Type:.
marker = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
block = re.compile(marker.pattern + rb"(?:\r|\n|\\[rn])+(?:[A-Za-z0-9+/=]{8}|[A-Za-z-]+:)")
def findings(img):
    with open(os.path.join(work, img + ".json")) as f:
        return [(x["rule"], x["path"]) for x in json.load(f)["findings"]
                if x["rule"] in ("PD303", "PD304")]
found, owner = findings("packages"), {}
print("| package | version | files naming the marker | files with a key block | PD303 | PD304 |")
print("| --- | --- | ---: | ---: | ---: | ---: |")
total = [0, 0, 0, 0]
for p in packages:
    with open(os.path.join(work, "lists", p)) as f:
        version, *paths = f.read().splitlines()
    named = blocks = 0
    for path in paths:
        owner[path] = p
        full = work + "/root" + path
        if os.path.islink(full) or not os.path.isfile(full):
            continue
        with open(full, "rb") as f:
            b = f.read()
        named += bool(marker.search(b))
        blocks += bool(block.search(b))
    rules = [r for r, path in found if owner.get(path) == p]
    row = [named, blocks, rules.count("PD303"), rules.count("PD304")]
    total = [a + b for a, b in zip(total, row)]
    print(f"| {p} | {version} | " + " | ".join(map(str, row)) + " |")
print("| **all** | | " + " | ".join(map(str, total)) + " |")
for rule, path in found:
    print(f"{rule} in the package tree: {path} ({owner.get(path, 'no package')})")
print("\n| control: copied from | to | PD303 |\n| --- | --- | --- |")
got, missed = findings("control"), 0
for c in controls:
    src, dest = c.split("=", 1)
    ok = ("PD303", dest) in got
    missed += not ok
    print(f"| {src} | {dest} | {'reported' if ok else 'NOT REPORTED'} |")
sys.exit(1 if missed else 0)
EOF
