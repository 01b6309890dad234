#!/usr/bin/env bash
# Times what a person waits for: the real reader in a terminal (tmux), from
# start until its status bar shows every article and no loading, against
# `newsdesk check` on the same folder and the read floor (every file read
# once, on one thread, by cat), in the same run. Prints medians and ratios,
# and the reader's peak memory (maximum resident set, /usr/bin/time -v).
#
#   benches/load_time.sh DIR [RUNS] [MODE]   (build first: cargo build --release)
#
# MODE is how the reader starts:
#   nocache  (default) --no-cache when the binary has it: every file read
#   first    a fresh, empty cache folder each run: every file read, and the
#            snapshot written after (the first start of a new archive)
#   second   from the snapshot: one untimed start writes it (into a cache
#            folder of this run's own), then each timed start reads it
#
# Each reader run uses a fresh state file and the config shipped in the
# repository.
set -euo pipefail
dir=${1:?usage: benches/load_time.sh DIR [RUNS] [nocache|first|second]}
runs=${2:-5}
mode=${3:-nocache}
case "$mode" in nocache|first|second) ;; *) echo "MODE: nocache, first or second" >&2; exit 2;; esac
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/newsdesk"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux (apt-get install tmux)" >&2; exit 2; }
sock="load-time-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
work=$(mktemp -d)
trap 'tm kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

# The number of articles, as the reader will count it.
count=$("$bin" list "$dir" --json --config "$here/config.toml" 2>/dev/null | wc -l)
# As the status bar writes it (18,398), whatever the locale says.
pretty=$(echo "$count" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta')
extra=()
if [ "$mode" = nocache ]; then
  "$bin" --help 2>/dev/null | grep -q -- '--no-cache' && extra+=(--no-cache)
fi

# Starts the reader (cache folder $1) and waits until every article is
# listed with no loading; prints the milliseconds it took. Its peak memory
# goes to $work/rss once it has quit.
start_reader() {
  local cache=$1 state t0 screen last
  state=$(mktemp)
  tm kill-session -t bench 2>/dev/null || true
  rm -f "$work/rss"
  t0=$(now_ms)
  tm new-session -d -s bench -x 120 -y 40 \
    "XDG_CACHE_HOME=$cache /usr/bin/time -v -o $work/rss $bin ${extra[*]:-} --state $state --config $here/config.toml $dir"
  while :; do
    screen=$(tm capture-pane -p -t bench 2>/dev/null || true)
    last=$(printf '%s\n' "$screen" | grep -E "(${count}|${pretty}) of (${count}|${pretty}) articles" || true)
    if [ -n "$last" ] && ! printf '%s' "$last" | grep -q loading; then break; fi
    if [ $(( $(now_ms) - t0 )) -gt 600000 ]; then echo "timed out; screen:" >&2; echo "$screen" >&2; exit 1; fi
    sleep 0.005
  done
  echo $(( $(now_ms) - t0 ))
  # In the second mode the snapshot must be written before quitting (it is
  # written at once after a full load, off the loop).
  if [ "$mode" != nocache ]; then
    for _ in $(seq 1 6000); do
      ls "$cache"/newsdesk/archive-*.snap >/dev/null 2>&1 && break
      sleep 0.01
    done
  fi
  tm send-keys -t bench q
  for _ in $(seq 1 3000); do [ -s "$work/rss" ] && break; sleep 0.01; done
  rm -f "$state"
}

rss_kib() { awk -F': ' '/Maximum resident set size/ {print $2}' "$work/rss" 2>/dev/null || echo 0; }

if [ "$mode" = second ]; then
  mkdir -p "$work/cache"
  start_reader "$work/cache" >/dev/null
fi

floor=() check=() reader=() rss=()
for ((i = 0; i < runs; i++)); do
  t0=$(now_ms); find "$dir" -type f -print0 | xargs -0 cat >/dev/null; floor+=($(( $(now_ms) - t0 )))
  t0=$(now_ms); "$bin" check "$dir" --config "$here/config.toml" >/dev/null 2>&1 || true
  check+=($(( $(now_ms) - t0 )))
  case "$mode" in
    second) cache="$work/cache" ;;
    *) cache="$work/cache-$i"; mkdir -p "$cache" ;;
  esac
  reader+=($(start_reader "$cache"))
  rss+=($(rss_kib))
  [ "$mode" = second ] || rm -rf "$cache"
done
f=$(printf '%s\n' "${floor[@]}" | median)
c=$(printf '%s\n' "${check[@]}" | median)
r=$(printf '%s\n' "${reader[@]}" | median)
m=$(printf '%s\n' "${rss[@]}" | median)
echo "folder: $dir ($count articles), $runs runs, mode $mode, medians"
echo "read floor (cat, one thread): ${f} ms   [${floor[*]}]"
echo "newsdesk check:               ${c} ms   [${check[*]}]"
echo "reader, every article listed: ${r} ms   [${reader[*]}]"
echo "reader peak memory (max RSS): $(( m / 1024 )) MiB   [${rss[*]} KiB]"
awk -v r="$r" -v c="$c" -v f="$f" 'BEGIN {printf "reader / check = %.2f   reader / floor = %.2f\n", r/c, r/(f>0?f:1)}'
