#!/bin/sh
# bench/upload.sh [BUILDDIR]: upload a 40 KB and a 19 MB image to a local mock server
# with the real client; report peak memory (target: the 19 MB upload costs at most 8 MB
# more) and wall time against `curl --form` to the same server in the same run (target:
# within 1.2x). Figures only, no pass/fail on speed in the test suite.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${1:-${BUILDDIR:-$root/build}}
prog=$build/bench/bench-upload
runs=${RUNS:-5}

if [ ! -x "$prog" ]; then
  echo "upload: $prog is not built; run: ninja -C $build bench/bench-upload"
  exit 1
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "upload: curl is missing; run: apt-get install -y curl"
  exit 1
fi

tmp=$(mktemp -d)
server_pid=
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

"$prog" serve >"$tmp/url" &
server_pid=$!
i=0
while [ ! -s "$tmp/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$tmp/url")
[ -n "$url" ] || { echo "upload: the server did not start"; exit 1; }

"$prog" make-image 40000 "$tmp/small.jpg"
"$prog" make-image 19000000 "$tmp/big.jpg"

# A token for curl, from the same login endpoint the client uses.
token=$(curl -sS -X POST -H 'Content-Type: application/json' \
  -d '{"email": "tester@example.com", "key": "11111111-2222-4333-8444-555555555555"}' \
  "$url/v3/account/login/api" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
[ -n "$token" ] || { echo "upload: login for curl failed"; exit 1; }

median () { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
field () { sed -n "s/.*$1=\([0-9.]*\).*/\1/p"; }

: >"$tmp/small_rss"; : >"$tmp/big_rss"; : >"$tmp/big_time"; : >"$tmp/curl_time"
n=1
while [ $n -le "$runs" ]; do
  "$prog" upload "$url" "$tmp/small.jpg" >"$tmp/out"
  field max_rss_kb <"$tmp/out" >>"$tmp/small_rss"
  "$prog" upload "$url" "$tmp/big.jpg" >"$tmp/out"
  field max_rss_kb <"$tmp/out" >>"$tmp/big_rss"
  field seconds <"$tmp/out" >>"$tmp/big_time"
  cp "$tmp/out" "$tmp/last_big"
  # Expect: off, as libsoup does not wait for 100-continue either.
  curl -sS -o /dev/null -w '%{time_total}\n' -H 'Expect:' \
    -H "Authorization: Bearer $token" -H 'Accept: application/json' \
    --form "image=@$tmp/big.jpg;type=image/jpeg" --form filename=big.jpg --form sandbox=true \
    "$url/v1/image-plagiarism-detector/bench-curl-$n/check" >>"$tmp/curl_time"
  n=$((n + 1))
done

small_rss=$(median <"$tmp/small_rss")
big_rss=$(median <"$tmp/big_rss")
big_time=$(median <"$tmp/big_time")
curl_time=$(median <"$tmp/curl_time")

awk -v s="$small_rss" -v b="$big_rss" -v t="$big_time" -v c="$curl_time" -v runs="$runs" 'BEGIN {
  growth = (b - s) / 1024
  ratio = t / c
  printf "upload: median of %d runs\n", runs
  printf "upload: peak RSS, 40 KB image %.1f MB, 19 MB image %.1f MB: %+.1f MB (target <= 8 MB) %s\n",
         s / 1024, b / 1024, growth, growth <= 8 ? "OK" : "OVER"
  printf "upload: 19 MB wall time, imgscan %.3f s, curl --form %.3f s: %.2fx curl (target <= 1.2x) %s\n",
         t, c, ratio, ratio <= 1.2 ? "OK" : "OVER"
}'
echo "upload: last 19 MB run, imgscan phases: $(sed 's/.*bytes=[0-9]* //' "$tmp/last_big")"
