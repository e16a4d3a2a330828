#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then the installed files used as a user would:
# the binary (--version, explain, lint of a real image), the man pages found through MANPATH and
# rendered by man without a warning, with every section and every rule, and the completions.
# Usage: install_test.sh BUILD_DIR PROJECT_VERSION SHARED_IMAGES_DIR
. "$(dirname "$0")/common.sh"

cmake --build "$build" --target permdoctor_docs >/dev/null
prefix=$(mktemp -d) work=$(mktemp -d)
trap 'rm -rf "$prefix" "$work"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in bin/permdoctor share/man/man1/permdoctor.1.gz share/man/man7/permdoctor-rules.7.gz \
         share/bash-completion/completions/permdoctor share/zsh/vendor-completions/_permdoctor \
         share/fish/vendor_completions.d/permdoctor.fish share/doc/permdoctor/README.md \
         share/doc/permdoctor/report.schema.json share/doc/permdoctor/inspect.schema.json; do
  [ -s "$prefix/$f" ] || fail "not installed: $f"
done
[ -x "$prefix/bin/permdoctor" ] || fail "bin/permdoctor is not executable"

# The installed binary, away from the source and build trees.
pd=$prefix/bin/permdoctor
cd "$work"
[ "$("$pd" --version)" = "permdoctor $version" ] || fail "--version: $("$pd" --version) != $version"
# (Into a file: with pipefail, `| head -1` can make the writer's later writes fail with EPIPE.)
"$pd" explain PD101 >explain.txt || fail "explain PD101 exited $?"
head -1 explain.txt | grep -q '^# PD101' || fail "explain PD101: $(head -1 explain.txt)"
status=0
"$pd" lint "$shared/ggcr-hello-world-v25.tar" -q --format json >report.json || status=$?
[ "$status" -eq 0 ] || fail "lint of ggcr-hello-world-v25.tar exited $status"
grep -q '"rule": "PD201"' report.json || fail "lint of ggcr-hello-world-v25.tar: no PD201"
status=0
"$pd" lint "$build/fixture-images/demo-lambda-unreadable.tar" -q >report.txt || status=$?
[ "$status" -eq 1 ] || fail "lint of the demo image exited $status, expected 1 (PD401)"
grep -q 'PD401' report.txt || fail "lint of the demo image: no PD401"

# Man pages: found where man looks, rendered without a warning, complete.
export MANPATH=$prefix/share/man MANWIDTH=80
[ "$(man -w permdoctor)" = "$prefix/share/man/man1/permdoctor.1.gz" ] || fail "man -w permdoctor"
[ "$(man -w 7 permdoctor-rules)" = "$prefix/share/man/man7/permdoctor-rules.7.gz" ] ||
  fail "man -w 7 permdoctor-rules"
for page in man1/permdoctor.1.gz man7/permdoctor-rules.7.gz; do
  for width in 80 60; do
    warnings=$(MANWIDTH=$width man --warnings -l "$prefix/share/man/$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || fail "man --warnings -l $page at width $width: $warnings"
  done
done
man -l "$prefix/share/man/man1/permdoctor.1.gz" >page1.txt
for section in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" ENVIRONMENT FILES \
               EXAMPLES RULES "SEE ALSO"; do
  grep -q "^$section\$" page1.txt || fail "permdoctor(1) has no $section section"
done
grep -q '^       .permdoctor.json$' page1.txt || fail "FILES does not describe .permdoctor.json"
# Every option of every command's --help is in OPTIONS.
for cmd in lint inspect; do
  for opt in $("$pd" "$cmd" --help | awk '/^Options:/ { on = 1; next } /^[^ ]/ { on = 0 }
               on && /^  -/ { split($1, n, ","); for (i in n) print n[i] }'); do
    grep -q -- "$opt" page1.txt || fail "permdoctor(1) lacks $cmd option $opt"
  done
done
man -l "$prefix/share/man/man7/permdoctor-rules.7.gz" >page7.txt
while read -r id _ title; do
  grep -q "^   $id - $title\$" page1.txt || fail "RULES in permdoctor(1) lacks '$id - $title'"
  grep -qF "$id: $title" page7.txt || fail "permdoctor-rules(7) lacks '$id: $title'"
done < <("$pd" rules | sed 's/  */ /; s/  */ /')
# A doc page's own words reach both pages (PD401's "What it checks" and its "Bad" example).
grep -q 'LAMBDA_TASK_ROOT' page1.txt || fail "permdoctor(1) lacks PD401's description"
grep -q 'COPY app.py ${LAMBDA_TASK_ROOT}/' page7.txt || fail "permdoctor-rules(7) lacks PD401's example"

# The installed bash completion completes.
out=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(permdoctor lint --format s); COMP_CWORD=3
      _permdoctor; echo "${COMPREPLY[*]}"' _ "$prefix/share/bash-completion/completions/permdoctor")
[ "$out" = sarif ] || fail "installed bash completion: '$out'"
echo "install: $(find "$prefix" -type f | wc -l) files under the prefix; binary, man pages and completions work"
