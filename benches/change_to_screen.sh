#!/usr/bin/env bash
# Times what a person waits for after editing one file (issue 17: "one file
# changed -> new results on screen <= 1 s"): the real reader in a terminal
# (tmux), its index built and ready, a search typed for a word no article has;
# then one file of the folder is rewritten (atomically, as editors save) with
# that word added, and the time runs until the status bar counts the match.
#
#   benches/change_to_screen.sh DIR [RUNS] [CACHE]   (build first: cargo build --release)
#
# DIR is not touched: the reader runs on a hard-linked copy (a rewrite
# replaces the copy's directory entry, never the shared file), with a cache
# folder and a state file of this run's own.
#
# With CACHE (a cache folder that already holds DIR's snapshot and index,
# e.g. after `XDG_CACHE_HOME=CACHE newsdesk index --rebuild DIR` and one
# start), the reader runs on DIR itself with that cache, so a million
# articles need no first start and build here; the files rewritten are put
# back as they were at the end (their contents; their times change).
set -euo pipefail
dir=${1:?usage: benches/change_to_screen.sh DIR [RUNS] [CACHE]}
runs=${2:-5}
kept_cache=${3:-}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/target/release/newsdesk"
[ -x "$bin" ] || { echo "build first: cargo build --release" >&2; exit 2; }
command -v tmux >/dev/null || { echo "needs tmux (apt-get install tmux)" >&2; exit 2; }
sock="change-$$"
tm() { tmux -L "$sock" -f /dev/null "$@"; }
work=$(mktemp -d)
trap 'tm kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
status() { tm capture-pane -p -t bench 2>/dev/null | tail -1; }
# Waits until the status bar matches the extended regex $1; prints the ms.
wait_for() {
  local t0 line
  t0=$(now_ms)
  while :; do
    line=$(status)
    if printf '%s' "$line" | grep -Eq -- "$1"; then break; fi
    if [ $(( $(now_ms) - t0 )) -gt 600000 ]; then
      echo "timed out waiting for /$1/; status bar: $line" >&2; exit 1
    fi
    sleep 0.005
  done
  echo $(( $(now_ms) - t0 ))
}

if [ -n "$kept_cache" ]; then
  archive=$(cd "$dir" && pwd)
  cache=$kept_cache
else
  cp -al "$dir" "$work/archive"
  archive=$work/archive
  cache=$work/cache
  mkdir -p "$cache"
fi
mapfile -t files < <(find "$archive" -type f -name '*.txt' | sort | head -n "$runs")
[ "${#files[@]}" -ge "$runs" ] || { echo "DIR has fewer than $runs .txt files" >&2; exit 2; }
mkdir -p "$work/orig"
for ((i = 0; i < runs; i++)); do cp "${files[$i]}" "$work/orig/$i"; done
if [ -n "$kept_cache" ]; then
  trap 'tm kill-server 2>/dev/null || true; for ((i = 0; i < runs; i++)); do cp "$work/orig/$i" "${files[$i]}"; done; rm -rf "$work"' EXIT
fi
tm new-session -d -s bench -x 120 -y 40 \
  "XDG_CACHE_HOME=$cache $bin --state $work/state.toml --config $here/config.toml $archive"
# Every article listed, nothing loading, the index built.
wait_for '^ *[0-9,]+ of [0-9,]+ articles' >/dev/null
for _ in $(seq 1 60000); do
  line=$(status)
  if ! printf '%s' "$line" | grep -Eq 'loading|indexing|reading the text'; then break; fi
  sleep 0.01
done
ready=$(status)
# SETTLE=S waits S seconds more (the reader idle, its background check and
# snapshot save done, as when a person edits a file in another window).
sleep "${SETTLE:-0}"

times=()
for ((i = 0; i < runs; i++)); do
  word="zqxv${i}q$$kjw"
  # A search for the new word, kept with Enter: nothing matches yet.
  tm send-keys -t bench Escape
  tm send-keys -t bench / 
  tm send-keys -t bench -l "$word"
  tm send-keys -t bench Enter
  wait_for "Search: ${word}" >/dev/null
  f=${files[$i]}
  { cat "$work/orig/$i"; printf '\n%s\n' "$word"; } > "$f.new"
  t0=$(now_ms)
  mv "$f.new" "$f"
  wait_for '^ *1 of [0-9,]+ articles' >/dev/null
  times+=($(( $(now_ms) - t0 )))
done
tm send-keys -t bench q
echo "folder: $dir, $runs runs; ready: $ready"
echo "one file rewritten -> its match counted on screen: median $(printf '%s\n' "${times[@]}" | median) ms   [${times[*]}]"
