#!/bin/sh
# bench/parse.sh: parse + print every URL of a 10,000- and a 100,000-match reply with
# bench-parse, next to jq on the same files in the same run.
#
#   bench/parse.sh [BUILDDIR] [REPORT]     (defaults: ./build, BUILDDIR/bench-parse.txt)
#
# Each program writes its URL list to a file, never the terminal. Both lists are
# compared first: the timing only counts if they are identical. The report gives the
# median wall time and CPU time (user + system, GNU time) of 7 interleaved rounds after
# a warm-up round,
# the ratio to jq, and the growth from 10k to 100k (linear ≈ 10). A bare json-glib
# parse that prints nothing is timed as well, for reference.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

here=$(cd "$(dirname "$0")" && pwd)
builddir=${1:-$here/../build}
bench=$(cd "$builddir" && pwd)/bench/bench-parse
report=${2:-$builddir/bench-parse.txt}
runs=${BENCH_RUNS:-7}
filter='.matches.internet[] | .url, (.webPages[]?.url)'

command -v jq >/dev/null || { echo "parse.sh: jq is missing (apt-get install jq)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "parse.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
[ -x "$bench" ] || { echo "parse.sh: $bench is missing; build it with ninja -C $builddir" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A reply in the API's shape, written by jq (no hand-made JSON): 40% full matches
# first, then partial ones, two pages each, unique URLs. About 17 MB for 100,000.
generate () {
  jq -c -n --argjson n "$1" '{
    developerPayload: null,
    scannedImage: {scanId: "bench-\($n)", expectedCredits: 1, actualCredits: 1,
                   creationTime: "2026-05-24T10:00:00Z", width: 4000, height: 3000,
                   filename: "bench.jpg"},
    matches: {
      internet: [range(0; $n) as $i | {
        url: "https://img\($i % 500).example.com/p/\($i)/image.jpg",
        matchType: (if $i < ($n * 2 / 5) then 0 else 1 end),
        webPages: [{url: "https://blog\($i % 700).example.org/\($i)/a"},
                   {url: "https://news\($i % 300).example.net/\($i)/b"}]}],
      score: {totalMatches: $n, fullMatches: ($n * 2 / 5), partialMatches: ($n * 3 / 5)}}}'
}


{
  echo "bench/parse.sh on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "bench-parse: $bench"
  echo "jq: $(jq --version)"
  echo
} > "$report"

for size in 10000 100000; do
  reply=$work/reply-$size.json
  generate "$size" > "$reply"

  "$bench" "$reply" > "$work/bench-$size.txt"
  jq -r "$filter" "$reply" > "$work/jq-$size.txt"
  if ! cmp -s "$work/bench-$size.txt" "$work/jq-$size.txt"; then
    echo "parse.sh: bench-parse and jq disagree on the $size-match reply:" >&2
    diff "$work/bench-$size.txt" "$work/jq-$size.txt" | head -5 >&2
    exit 1
  fi

  # Interleaved rounds (each program once per round, after a warm-up round) rather
  # than all runs of one program then all of the next: on a shared machine a burst of
  # load then hits every program alike instead of one of them.
  for round in $(seq 0 "$runs"); do
    for name in bench-parse bench-parse-default-malloc json-glib-parse-only jq; do
      case $name in
        bench-parse) set -- "$bench" "$reply" ;;
        bench-parse-default-malloc) set -- "$bench" --default-malloc "$reply" ;;
        json-glib-parse-only) set -- "$bench" --json-glib-only "$reply" ;;
        jq) set -- jq -r "$filter" "$reply" ;;
      esac
      /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" > "$work/out-$size.txt"
      [ "$round" -eq 0 ] || awk -v n="$name" '{ print n, $1, $2 + $3 }' "$work/time" >> "$work/runs-$size"
    done
  done

  for name in bench-parse bench-parse-default-malloc json-glib-parse-only jq; do
    printf '%s %s %s %s\n' "$size" "$name" \
      "$(awk -v n="$name" '$1 == n { print $2 }' "$work/runs-$size" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
      "$(awk -v n="$name" '$1 == n { print $3 }' "$work/runs-$size" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
  done >> "$work/table"

  printf '%s-match reply: %s bytes, %s URLs, outputs identical\n' \
    "$size" "$(wc -c < "$reply")" "$(wc -l < "$work/jq-$size.txt")" >> "$report"
done

awk '
  { wall[$1, $2] = $3; cpu[$1, $2] = $4 }
  END {
    printf "\n%-22s %9s %9s %9s %9s %10s %10s %10s\n", "median of runs (s)", "10k wall", "10k cpu",
      "100k wall", "100k cpu", "wall vs jq", "cpu vs jq", "10k->100k"
    n = split("bench-parse bench-parse-default-malloc json-glib-parse-only jq", names, " ")
    for (i = 1; i <= n; i++) {
      name = names[i]
      printf "%-22s %9.3f %9.3f %9.3f %9.3f %9.2fx %9.2fx %9.1fx\n", substr(name, 1, 22),
        wall[10000, name], cpu[10000, name], wall[100000, name], cpu[100000, name],
        wall[100000, name] / wall[100000, "jq"], cpu[100000, name] / cpu[100000, "jq"],
        cpu[100000, name] / cpu[10000, name]
    }
    printf "\nbench-parse / jq at 100k: %.2f (wall), %.2f (cpu); target <= 1.00\n",
      wall[100000, "bench-parse"] / wall[100000, "jq"], cpu[100000, "bench-parse"] / cpu[100000, "jq"]
    printf "10k->100k is CPU time, process start-up included (linear: 10x or less)\n"
  }' "$work/table" >> "$report"

# Wall and CPU times swing on a shared machine; instruction counts do not. When
# valgrind is installed, count them on the 10k reply as a steadier ratio.
if command -v valgrind >/dev/null; then
  reply=$work/reply-10000.json
  echo >> "$report"
  echo "instructions on the 10k reply (callgrind; steady under load, blind to cache misses):" >> "$report"
  for name in bench-parse json-glib-parse-only jq; do
    case $name in
      bench-parse) set -- "$bench" "$reply" ;;
      json-glib-parse-only) set -- "$bench" --json-glib-only "$reply" ;;
      jq) set -- jq -r "$filter" "$reply" ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
      | awk -v n="$name" '/Collected/ { print n, $NF }' >> "$work/instructions"
  done
  awk '{ ir[$1] = $2 } END {
    for (name in ir)
      printf "  %-22s %13d  %.2fx jq\n", name, ir[name], ir[name] / ir["jq"]
  }' "$work/instructions" | sort >> "$report"
fi

cat "$report"
