#!/usr/bin/env bash
# The .deb on a fresh Debian 12: debootstrap a minimal bookworm root (minbase: no libarchive13,
# no libssl3), `apt-get install ./permdoctor_*.deb` inside it with chroot, so apt downloads
# the Depends that dpkg-shlibdeps computed, then run permdoctor there on real images.
#
# Needs root, debootstrap and a Debian mirror (PD_DEBIAN_MIRROR, default http://deb.debian.org/
# debian). The minbase tree is cached as BUILD_DIR/debian12-minbase.tar (about 200 MB), so
# only the first run pays for debootstrap (about 80 s here); apt-get update and install run every
# time. Too slow and network-bound for every CI run: ctest runs it only when configured with
# -DPD_TEST_FRESH_DEBIAN=ON; deb_test.sh is the fast check.
# Usage: deb_fresh_debian12.sh BUILD_DIR PROJECT_VERSION SHARED_IMAGES_DIR
. "$(dirname "$0")/common.sh"
mirror=${PD_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ "$(id -u)" -ne 0 ]; then  # ctest reports 77 as skipped, not passed
  echo "SKIP: needs root (debootstrap, chroot)" >&2
  exit 77
fi
command -v debootstrap >/dev/null || fail "debootstrap is not installed"

make_deb

root=$work/root
cache=$build/debian12-minbase.tar
t0=$(date +%s)
if [ -s "$cache" ]; then
  mkdir "$root" && tar -xf "$cache" -C "$root"
else
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap"; }
  tar -cf "$cache.tmp" -C "$root" . && mv "$cache.tmp" "$cache"
fi
grep -q '^VERSION_ID="12"' "$root/etc/os-release" || fail "the root is not Debian 12"
for p in permdoctor libarchive13 libssl3; do
  chroot "$root" dpkg-query -W "$p" >/dev/null 2>&1 && fail "the fresh root already has $p"
done
echo "fresh root ready in $(($(date +%s) - t0)) s"

cp /etc/resolv.conf "$root/etc/resolv.conf"
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }
t0=$(date +%s)
in_root apt-get update -qq >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get update"; }
in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" >>"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; fail "apt-get install ./$(basename "$deb")"; }
pulled=$(sed -n 's/^Setting up \([^:]*\)[^ ]* (.*/\1/p' "$work/apt.log" | grep -v '^permdoctor$' | sort | tr '\n' ' ')
echo "apt-get install in $(($(date +%s) - t0)) s; it also installed: $pulled"
for p in libarchive13 libssl3; do
  [[ " $pulled " == *" $p "* ]] || fail "apt did not pull $p, which the fresh root lacked"
done

[ "$(in_root permdoctor --version)" = "permdoctor $version" ] || fail "--version in the fresh root"
in_root permdoctor explain PD401 | grep -q '^## Suppress' || fail "explain in the fresh root"
cp "$shared/dive-oci-zstd.tar" "$build/fixture-images/demo-lambda-unreadable.tar" "$root/tmp/"
status=0
in_root permdoctor lint /tmp/dive-oci-zstd.tar -q --format json >"$work/report.json" || status=$?
if [ "$status" -gt 1 ] || ! grep -q '"schemaVersion": 1' "$work/report.json"; then
  fail "lint of dive-oci-zstd.tar (zstd layers, SHA-256 via libssl3) in the fresh root: exit $status"
fi
status=0
in_root permdoctor lint /tmp/demo-lambda-unreadable.tar -q >"$work/report.txt" || status=$?
if [ "$status" -ne 1 ] || ! grep -q PD401 "$work/report.txt"; then
  fail "lint of the demo image in the fresh root: exit $status, $(head -3 "$work/report.txt")"
fi
out=$(in_root bash --norc -c 'source /usr/share/bash-completion/completions/permdoctor
  COMP_WORDS=(permdoctor explain PD10); COMP_CWORD=2; _permdoctor; echo "${COMPREPLY[*]}"')
[[ "$out" == "PD101 PD102"* ]] || fail "bash completion in the fresh root: $out"
echo "fresh Debian 12: apt-get install ./$(basename "$deb") pulled its Depends; permdoctor linted" \
     "real images there"
