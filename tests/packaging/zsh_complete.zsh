# zsh_complete.zsh FPATH_DIR LINE...: for each LINE, the matches zsh's own completion system
# offers with the cursor at its end, as "LINE => MATCH MATCH ...". It types into an interactive
# zsh in a pseudo-terminal (zpty) with compinit loaded from FPATH_DIR and TAB bound to
# complete-word; compadd is wrapped to print each match instead of inserting it.
# Used by completions_test.sh; run it under `timeout`, a wedged shell would block the read.
zmodload zsh/zpty
zpty z zsh -f -i
integer n=0
# run CMD: type a command line into the shell and wait until it has run.
run() {
  local out
  (( n++ ))
  zpty -w z "$1; print -r -- '::'done$n'::'"
  zpty -r -m z out "*::done$n::*" || exit 1
  REPLY=$out
}
run "PS1=''; PROMPT_EOL_MARK=''; unsetopt zle_bracketed_paste 2>/dev/null; fpath=(${(q)1} \$fpath); autoload -Uz compinit; compinit -u -D"
# Matches are printed as <<MATCH>> (the typed text never holds that sequence) instead of inserted.
run 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a __h; builtin compadd -A __h "$@"; local m; for m in $__h; do print -r -- "<""<$m>"">"; done; }'
run 'bindkey "^I" complete-word; bindkey "^G" kill-whole-line'
shift
for line in "$@"; do
  # The first line is typed while the shell is still running a command (tty in canonical mode),
  # the case a loaded CI machine hits by chance; with ^U it came back empty.
  if (( n == 3 )); then
    zpty -w z 'sleep 0.6'
    sleep 0.2
  fi
  zpty -n -w z "$line"$'\t'$'\C-g'
  run ':'
  local -a hits=(${(f)"$(print -r -- $REPLY | grep -o '<<[^<>]*>>' | sed 's/^<<//; s/>>$//')"})
  print -r -- "$line => ${(j: :)hits}"
done
zpty -d z
