#!/usr/bin/env bash
# The shell completions against the CLI they complete:
#   1. drift: every command and every option that `permdoctor [CMD] --help` lists appears in the
#      bash, zsh and fish scripts under that command, and so do the --format values, the profiles
#      and every rule ID of `permdoctor rules`; the hidden `generate` command appears in none;
#   2. bash: the script is sourced into a clean bash, `complete -p` shows it registered, and
#      _permdoctor is called with COMP_WORDS/COMP_CWORD as readline would, checking COMPREPLY;
#   3. fish: fish's own engine completes command lines (`complete -C`);
#   4. zsh: the script parses (`zsh -n`), compinit binds it from fpath, and zsh's completion
#      system, driven in a pseudo-terminal (zsh_complete.zsh), offers the expected matches.
# Usage: completions_test.sh BUILD_DIR   (the scripts are BUILD_DIR/generated/share/*)
set -euo pipefail
build=$(cd "$1" && pwd)
pd=$build/permdoctor
gen=$build/generated/share
# The rule IDs starting with $1, joined by $2, as the binary lists them (never a copy here).
rules_from() { "$pd" rules | awk -v p="$1" 'index($1, p) == 1 { print $1 }' | paste -sd "$2"; }
bash_file=$gen/permdoctor.bash zsh_file=$gen/_permdoctor fish_file=$gen/permdoctor.fish
failures=0
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}
for f in "$bash_file" "$zsh_file" "$fish_file"; do
  [ -s "$f" ] || { echo "FAIL: $f missing (build the permdoctor_docs target)" >&2; exit 1; }
done

# ---- 1. Drift -------------------------------------------------------------------------------
# Options of one --help page: the first column of the "Options:" section, e.g. "-o,--output".
help_options() {
  "$pd" "$@" --help | awk '/^Options:/ { on = 1; next } /^[^ ]/ { on = 0 }
    on && /^  -/ { split($1, names, ","); for (i in names) print names[i] }'
}
commands=$("$pd" --help | awk '/^Subcommands:/ { on = 1; next } /^[^ ]/ { on = 0 } on && NF { print $1 }')
[ "$(echo "$commands" | wc -l)" -ge 4 ] || fail "could not read the commands from --help: $commands"

# The part of each script that completes command $1 ("" = the top level).
bash_block() {  # the case branch "  lint)" up to its ";;" at the same indent
  awk -v c="${1:-''}" '$0 == "  " c ")" { on = 1; next } on && /^    ;;$/ { exit } on' "$bash_file"
}
zsh_block() {
  if [ -z "$1" ]; then
    awk '/^  _arguments -C/ { on = 1 } on { print } on && /&& ret=0$/ { exit }' "$zsh_file"
  else
    awk -v c="$1" '$0 == "      " c ")" { on = 1; next } on && /^        ;;$/ { exit } on' "$zsh_file"
  fi
}
fish_block() {
  if [ -z "$1" ]; then grep -F -- "-n 'not __fish_seen_subcommand_from" "$fish_file"
  else grep -F -- "-n '__fish_seen_subcommand_from $1'" "$fish_file"; fi
}
fish_has_option() {  # $1 block, $2 -x or --xx
  case $2 in
    --*) grep -qE -- "-l ${2#--}( |$)" <<<"$1" ;;
    -*) grep -qE -- "-s ${2#-}( |$)" <<<"$1" ;;
  esac
}

checked=0
for cmd in "" $commands; do
  b=$(bash_block "$cmd") z=$(zsh_block "$cmd") f=$(fish_block "$cmd")
  [ -n "$b" ] || fail "bash: no branch for command '$cmd'"
  [ -n "$f" ] || fail "fish: no lines for command '$cmd'"
  [ -n "$z" ] || fail "zsh: no block for command '$cmd'"
  # shellcheck disable=SC2086
  for opt in $(help_options $cmd); do
    checked=$((checked + 1))
    grep -qE -- "(^|[ '|])$opt( |'|\\)|\\|)" <<<"$b" || fail "bash: '$cmd' lacks $opt"
    grep -qE -- "(^|[ '{,*)])$opt(=?\\[|[,}])" <<<"$z" || fail "zsh: '$cmd' lacks $opt"
    fish_has_option "$f" "$opt" || fail "fish: '$cmd' lacks $opt"
  done
done
[ "$checked" -ge 20 ] || fail "only $checked options found in --help: the parser above broke"
for cmd in $commands; do
  grep -qE "compgen -W '[^']*\\b$cmd\\b" <<<"$(bash_block "")" || fail "bash: command $cmd not offered"
  grep -qF "'$cmd:" "$zsh_file" || fail "zsh: command $cmd not offered"
  grep -qE -- "-a $cmd -d" "$fish_file" || fail "fish: command $cmd not offered"
done
for f in "$bash_file" "$zsh_file" "$fish_file"; do
  grep -qw generate "$f" && grep -v '^#' "$f" | grep -qw generate && fail "$f offers the hidden generate command"
  for id in $("$pd" rules | awk '{ print $1 }'); do
    grep -qw "$id" "$f" || fail "$(basename "$f") lacks rule $id"
  done
  # Values that --help spells out: --format's list and --profile's.
  for v in $("$pd" lint --help | sed -n 's/^  --format .*(repeatable): //p' | tr -d ',' | sed 's/(default)//') \
           $("$pd" lint --help | sed -n 's/^  --profile [^ ]* *//p' | sed 's/ (.*//; s/,/ /g; s/ or / /'); do
    grep -qw -- "$v" "$f" || fail "$(basename "$f") lacks the value $v"
  done
done

# ---- 2. bash, as readline drives it ------------------------------------------------------------
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/imgs" && touch "$scratch/imgs/app.tar" "$scratch/imgs/my base.tar" "$scratch/notes"
bash_out=$(cd "$scratch" && bash --norc --noprofile -c '
  source "$1"
  complete -p permdoctor
  # comp WORD...: complete the last word, as readline does after the user pressed TAB.
  comp() {
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    COMPREPLY=(); _permdoctor permdoctor "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    local IFS=,
    printf "%s\n" "[${COMPREPLY[*]}]"
  }
  comp permdoctor ""
  comp permdoctor li
  comp permdoctor lint --for
  comp permdoctor lint --format j
  comp permdoctor lint x.tar --format = sa
  comp permdoctor lint --profile ""
  comp permdoctor lint --ignore PD40
  comp permdoctor explain PD10
  comp permdoctor lint imgs/
  comp permdoctor lint -q --output n
  comp permdoctor lint --user ""
  comp permdoctor inspect --
' _ "$bash_file")
expected="complete -F _permdoctor permdoctor
[lint,inspect,fix,rules,explain]
[lint]
[--format]
[json,junit]
[sarif]
[auto,generic,lambda,kubernetes,openshift]
[$(rules_from PD40 ,)]
[$(rules_from PD10 ,)]
[imgs/app.tar,imgs/my base.tar]
[notes]
[]
[--help,--json,--platform,--image,--no-verify,--dockerfile,--creds,--password-stdin,--authfile,--ca-file,--insecure]"
if [ "$bash_out" != "$expected" ]; then
  fail "bash completion results differ:"
  diff <(echo "$expected") <(echo "$bash_out") >&2 || true
fi

# ---- 3. fish, through its own completion engine --------------------------------------------
fish_out=$(cd "$scratch" && fish --no-config -c '
  source $argv[1]
  for line in "permdoctor " "permdoctor lint --format j" "permdoctor lint --fail-on " \
              "permdoctor explain PD40" "permdoctor lint --ig" "permdoctor inspect imgs/a"
    echo "["(complete -C "$line" | string replace -r "\t.*" "" | string join " ")"]"
  end' "$fish_file")
expected="[explain fix inspect lint rules]
[json junit]
[error info never warning]
[$(rules_from PD40 " ")]
[--ignore]
[imgs/app.tar]"
if [ "$fish_out" != "$expected" ]; then
  fail "fish completion results differ:"
  diff <(echo "$expected") <(echo "$fish_out") >&2 || true
fi

# ---- 4. zsh ----------------------------------------------------------------------------------
zsh -n "$zsh_file" || fail "zsh: syntax error in $zsh_file"
mkdir "$scratch/fpath" && cp "$zsh_file" "$scratch/fpath/"
zsh_out=$(zsh -f -c 'fpath=("$1" $fpath); autoload -Uz compinit && compinit -u -D
  print -r -- ${_comps[permdoctor]}' _ "$scratch/fpath") || fail "zsh: compinit failed"
[ "$zsh_out" = _permdoctor ] || fail "zsh: compinit did not bind _permdoctor to permdoctor: '$zsh_out'"
here=$(cd "$(dirname "$0")" && pwd)
zsh_out=$(cd "$scratch" && timeout 60 zsh -f "$here/zsh_complete.zsh" "$scratch/fpath" \
  "permdoctor " "permdoctor lint --format j" "permdoctor lint --format=sa" \
  "permdoctor lint --fail-on " "permdoctor explain PD40" "permdoctor lint --ig" \
  "permdoctor lint -q --output imgs/a" "permdoctor inspect --" "permdoctor rules -") ||
  fail "zsh: the zpty session failed"
expected="permdoctor  => lint inspect fix rules explain
permdoctor lint --format j => json junit
permdoctor lint --format=sa => sarif
permdoctor lint --fail-on  => error warning info never
permdoctor explain PD40 => $(rules_from PD40 " ")
permdoctor lint --ig => --ignore
permdoctor lint -q --output imgs/a => app.tar
permdoctor inspect -- => --help --json --no-verify --password-stdin --insecure --platform --image --dockerfile --creds --authfile --ca-file
permdoctor rules - => --format --help -h"
if [ "$zsh_out" != "$expected" ]; then
  fail "zsh completion results differ:"
  diff <(echo "$expected") <(echo "$zsh_out") >&2 || true
fi

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)" >&2
  exit 1
fi
echo "completions: $checked options of --help found in bash, zsh and fish; bash, fish and zsh checks pass"
