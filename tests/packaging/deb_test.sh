#!/usr/bin/env bash
# The .deb: built by CPack, inspected with dpkg-deb, installed by dpkg into a scratch root, run.
#
# What "installs and runs on Debian 12" means in this test (fast enough for every CI run):
#   - dpkg-deb: control fields (package, version = the project's = --version, maintainer,
#     section, Depends computed by dpkg-shlibdeps) and the file list (binary, man pages,
#     completions), all root-owned, the binary stripped;
#   - `apt-get install --simulate ./permdoctor_*.deb`: apt resolves the Depends on this Debian 12
#     machine from its package database, as `apt-get install ./permdoctor_*.deb` would;
#   - `dpkg --root SCRATCH -i`: dpkg unpacks and configures the package into an empty scratch
#     root whose dpkg database is a copy of this machine's, so dpkg itself checks the Depends
#     (a control run against an empty database must fail on them); then `dpkg -L`, the binary
#     from the scratch root linting a real image, and `dpkg --root SCRATCH -r` removing every file.
# The binary in the scratch root runs with this machine's libraries (the ones the database says
# are installed), not in a chroot. The stronger check, `apt-get install ./permdoctor_*.deb` into a
# freshly debootstrapped Debian 12 chroot that downloads the Depends, takes minutes and needs the
# network: tests/packaging/deb_fresh_debian12.sh, run when PD_TEST_FRESH_DEBIAN=ON.
# Usage: deb_test.sh BUILD_DIR PROJECT_VERSION SHARED_IMAGES_DIR
. "$(dirname "$0")/common.sh"
if [ "$(id -u)" -ne 0 ]; then  # ctest reports 77 as skipped, not passed
  echo "SKIP: needs root (dpkg --root installs root-owned files)" >&2
  exit 77
fi

make_deb

# ---- Control fields and contents ----
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = permdoctor ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), project $version"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] || fail "Architecture"
[ "$(field Section)" = devel ] || fail "Section: $(field Section)"
[[ "$(field Maintainer)" =~ ^.+\ \<.+@.+\>$ ]] || fail "Maintainer: $(field Maintainer)"
[ -n "$(field Description)" ] || fail "no Description"
depends=$(field Depends)
for lib in libarchive13 libc6 libssl3 libstdc\\+\\+6 libzstd1 zlib1g; do
  [[ "$depends" =~ (^|, )$lib\ \(\>=\ [^\)]+\) ]] || fail "Depends lacks a versioned $lib: $depends"
done
dpkg-deb --contents "$deb" >"$work/contents"
for f in ./usr/bin/permdoctor ./usr/share/man/man1/permdoctor.1.gz \
         ./usr/share/man/man7/permdoctor-rules.7.gz ./usr/share/bash-completion/completions/permdoctor \
         ./usr/share/zsh/vendor-completions/_permdoctor \
         ./usr/share/fish/vendor_completions.d/permdoctor.fish ./usr/share/doc/permdoctor/README.md; do
  grep -q " $f\$" "$work/contents" || fail "the .deb lacks $f"
done
awk '$2 != "root/root" { bad = 1; print } END { exit bad }' "$work/contents" >&2 ||
  fail "files not owned by root/root"
grep -q '^-rwxr-xr-x .* ./usr/bin/permdoctor$' "$work/contents" || fail "binary mode"
dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/permdoctor >"$work/permdoctor.bin"
readelf -S "$work/permdoctor.bin" | grep -q '\.debug_info' && fail "the packaged binary is not stripped"

# ---- apt resolves the Depends on this machine ----
apt-get install --simulate -o Debug::NoLocking=true "$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log" >&2; fail "apt-get install --simulate"; }
grep -q '^Inst permdoctor ' "$work/apt.log" || { cat "$work/apt.log" >&2; fail "apt would not install it"; }

# ---- dpkg installs it into a scratch root ----
new_root() {  # an empty root with an empty dpkg database
  mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/lib/dpkg/triggers"
  touch "$1/var/lib/dpkg/available" "$1/var/lib/dpkg/status"
}
# Control: with nothing installed, dpkg must refuse on the Depends (so the real run checks them).
new_root "$work/empty-root"
if dpkg --root="$work/empty-root" --log=/dev/null -i "$deb" >"$work/dpkg-empty.log" 2>&1; then
  fail "dpkg configured it in a root with no libraries: Depends are not checked"
fi
grep -q 'dependency problems' "$work/dpkg-empty.log" || { cat "$work/dpkg-empty.log" >&2; fail "control run"; }
root=$work/root
new_root "$root"
cp /var/lib/dpkg/status "$root/var/lib/dpkg/status"
dpkg --root="$root" --log=/dev/null -i "$deb" >"$work/dpkg.log" 2>&1 ||
  { cat "$work/dpkg.log" >&2; fail "dpkg --root -i"; }
[ "$(dpkg-query --root="$root" -W -f='${Status} ${Version}' permdoctor)" = "install ok installed $version" ] ||
  fail "dpkg-query: $(dpkg-query --root="$root" -W -f='${Status} ${Version}' permdoctor)"
dpkg-query --root="$root" -L permdoctor | grep -qx /usr/bin/permdoctor || fail "dpkg -L"

pd=$root/usr/bin/permdoctor
[ "$("$pd" --version)" = "permdoctor $version" ] || fail "--version from the scratch root"
"$pd" explain PD401 | grep -q '^## Suppress' || fail "explain PD401 from the scratch root"
status=0
"$pd" lint "$shared/dive-oci-zstd.tar" -q --format json >"$work/report.json" || status=$?
[ "$status" -le 1 ] || fail "lint of dive-oci-zstd.tar from the scratch root exited $status"
grep -q '"schemaVersion": 1' "$work/report.json" || fail "lint from the scratch root: no report"
status=0
"$pd" lint "$build/fixture-images/demo-lambda-unreadable.tar" -q >"$work/report.txt" || status=$?
if [ "$status" -ne 1 ] || ! grep -q PD401 "$work/report.txt"; then
  fail "lint of the demo image from the scratch root: exit $status, $(head -3 "$work/report.txt")"
fi
warnings=$(MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/permdoctor.1.gz" 2>&1 >/dev/null)
[ -z "$warnings" ] || fail "man page from the .deb: $warnings"

# ---- and removes every file ----
dpkg --root="$root" --log=/dev/null --purge permdoctor >/dev/null 2>&1 || fail "dpkg --purge"
left=$(find "$root" -path "$root/var" -prune -o ! -type d -print)
[ -z "$left" ] || fail "files left after purge: $left"
echo "deb: $(basename "$deb"), $(stat -c %s "$deb") bytes, Depends: $depends;" \
     "installed into a scratch root, ran, purged"
