#!/bin/sh
# Tests of the R client (streamr): installs clients/r into a temporary library, starts
# `stream serve` on a free loopback port with a fresh synthetic registry, and runs
# clients/r/tests/*.R against it. Exits non-zero, saying why, on any failure — including
# when R, httr or jsonlite are missing (Debian: apt-get install r-base-core r-cran-httr
# r-cran-jsonlite).
#
#   clients/r/run-tests.sh build/bin/stream
set -eu

fail() { echo "client_r: FAILED: $*" >&2; exit 1; }

[ $# -eq 1 ] || fail "usage: $0 PATH-TO-STREAM-BINARY"
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)   # stream finds protocols/ from here
case $1 in /*) stream=$1 ;; *) stream=$(pwd)/$1 ;; esac
[ -x "$stream" ] || fail "no stream binary at $stream"

command -v R >/dev/null 2>&1 || fail "R is not installed (apt-get install r-base-core)"
command -v Rscript >/dev/null 2>&1 || fail "Rscript is not installed (apt-get install r-base-core)"
Rscript -e 'missing <- Filter(function(p) !requireNamespace(p, quietly = TRUE), c("httr", "jsonlite"))
            if (length(missing)) { message("missing R packages: ", paste(missing, collapse = ", "),
                                           " (apt-get install r-cran-httr r-cran-jsonlite)"); quit(status = 1) }' \
  || fail "R packages httr and jsonlite are needed"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/streamr-tests.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- the package, installed as a user would --------------------------------------------------
mkdir "$tmp/lib"
if ! R CMD INSTALL -l "$tmp/lib" "$here" >"$tmp/install.log" 2>&1; then
  cat "$tmp/install.log" >&2
  fail "R CMD INSTALL clients/r failed"
fi
if grep -i "warning" "$tmp/install.log" >/dev/null; then
  cat "$tmp/install.log" >&2
  fail "R CMD INSTALL clients/r gave warnings"
fi
echo "client_r: installed streamr into a temporary library"

status=0
R_LIBS="$tmp/lib${R_LIBS:+:$R_LIBS}" Rscript "$here/tests/test-offline.R" || status=1

# --- a registry and a server of our own ------------------------------------------------------
cd "$repo"
"$stream" --data "$tmp/registry" init >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log" >&2; fail "stream init failed"; }
"$stream" --data "$tmp/registry" demo generate --patients 60 --sites 3 --seed 20261121 \
  >"$tmp/accounts.txt" 2>"$tmp/demo.log" || { cat "$tmp/demo.log" >&2; fail "stream demo generate failed"; }
"$stream" --data "$tmp/registry" serve --host 127.0.0.1 --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
server=$!
url=""
tries=0
while [ -z "$url" ]; do
  url=$(sed -n 's|.*serving on \(http://[^ /]*\).*|\1|p' "$tmp/serve.out" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.out" "$tmp/serve.err" >&2; server=""; fail "stream serve exited"; }
  tries=$((tries + 1))
  [ $tries -le 300 ] || { cat "$tmp/serve.out" "$tmp/serve.err" >&2; fail "stream serve did not start within 30 s"; }
  sleep 0.1
done
echo "client_r: stream serve on $url"

STREAMR_TEST_URL=$url STREAMR_TEST_ACCOUNTS="$tmp/accounts.txt" STREAMR_TEST_REQUIRED=1 \
  R_LIBS="$tmp/lib${R_LIBS:+:$R_LIBS}" Rscript "$here/tests/test-live.R" || status=1

if [ $status -ne 0 ]; then
  echo "--- stream serve's stderr (last 40 lines) ---" >&2
  tail -n 40 "$tmp/serve.err" >&2 || true
  fail "some streamr tests failed (see FAIL above)"
fi
echo "client_r: all streamr tests passed"
