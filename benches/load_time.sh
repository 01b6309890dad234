#!/usr/bin/env bash
# Times what a person waits for: the real reader in a terminal (tmux), from
# start until its status bar shows every article and no loading, against
# `newsdesk check` on the same folder and the read floor (every file read
# once, on one thread, by cat), in the same run. Prints medians and ratios.
#
#   benches/load_time.sh DIR [RUNS]      (build first: cargo build --release)
#
# Each reader run uses --no-cache when the binary has it, a fresh state file,
# and the config shipped in the repository.
set -euo pipefail
dir=${1:?usage: benches/load_time.sh DIR [RUNS]}
runs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/newsdesk"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux (apt-get install tmux)" >&2; exit 2; }
sock="load-time-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null || true' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# The number of articles, as the reader will count it.
count=$("$bin" list "$dir" --json --config "$here/config.toml" 2>/dev/null | wc -l)
pretty=$(echo "$count" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta')
extra=()
"$bin" --help 2>/dev/null | grep -q -- '--no-cache' && extra+=(--no-cache)

floor=() check=() reader=()
for ((i = 0; i < runs; i++)); do
  t0=$(now_ms); find "$dir" -type f -print0 | xargs -0 cat >/dev/null; floor+=($(( $(now_ms) - t0 )))
  t0=$(now_ms); "$bin" check "$dir" --config "$here/config.toml" >/dev/null 2>&1 || true
  check+=($(( $(now_ms) - t0 )))
  state=$(mktemp)
  tm kill-session -t bench 2>/dev/null || true
  t0=$(now_ms)
  tm new-session -d -s bench -x 120 -y 40 \
    "$bin ${extra[*]:-} --state $state --config $here/config.toml $dir"
  while :; do
    screen=$(tm capture-pane -p -t bench 2>/dev/null || true)
    last=$(printf '%s\n' "$screen" | grep -E "(${count}|${pretty}) of (${count}|${pretty}) articles" || true)
    if [ -n "$last" ] && ! printf '%s' "$last" | grep -q loading; then break; fi
    if [ $(( $(now_ms) - t0 )) -gt 600000 ]; then echo "timed out; screen:" >&2; echo "$screen" >&2; exit 1; fi
    sleep 0.005
  done
  reader+=($(( $(now_ms) - t0 )))
  tm send-keys -t bench q
  rm -f "$state"
done
f=$(printf '%s\n' "${floor[@]}" | median)
c=$(printf '%s\n' "${check[@]}" | median)
r=$(printf '%s\n' "${reader[@]}" | median)
echo "folder: $dir ($count articles), $runs runs, medians"
echo "read floor (cat, one thread): ${f} ms   [${floor[*]}]"
echo "newsdesk check:               ${c} ms   [${check[*]}]"
echo "reader, fully loaded:         ${r} ms   [${reader[*]}]"
awk -v r="$r" -v c="$c" -v f="$f" 'BEGIN {printf "reader / check = %.2f   reader / floor = %.2f\n", r/c, r/(f>0?f:1)}'
