#!/usr/bin/env bash
# Tests of the Python client against a real `stream serve` on loopback with a fresh synthetic
# registry:
#
#   clients/python/run-tests.sh build/bin/stream
#
# It installs the package from a copy of clients/python into a temporary virtual environment
# (pip, offline: --no-index --no-build-isolation), issues API tokens for the statistician and
# the data manager through the session + POST /api/v1/tokens, and runs the unittest suite in
# clients/python/tests. Everything lives in one temporary directory, removed on exit with the
# server. It exits non-zero, saying why, on any failure; it never skips.
#
# PYTHON=/path/to/python3 chooses the interpreter (default: python3 on PATH, then
# /usr/bin/python3 when the first cannot install packages offline).
set -euo pipefail

fail() { echo "client_python: FAIL: $*" >&2; exit 1; }
say() { echo "client_python: $*"; }
trap 'fail "line $LINENO: \`$BASH_COMMAND\` failed"' ERR

[ $# -eq 1 ] || fail "usage: $0 PATH/TO/stream"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
stream=$1
case $stream in /*) ;; *) stream=$PWD/$stream ;; esac

# The binary may be missing for a moment while it is relinked.
for _ in $(seq 1 60); do [ -x "$stream" ] && break; sleep 2; done
[ -x "$stream" ] || fail "no executable stream binary at $stream (waited 2 minutes)"

python=${PYTHON:-python3}
command -v "$python" >/dev/null 2>&1 || fail "$python not found: the Python client needs Python 3 (apt-get install python3)"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || fail "$python is older than 3.9"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stream-client-python.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ] && kill -0 "$server" 2>/dev/null; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

# --- install: a real pip install of a copy (pip builds in the source tree) -------------------
mkdir -p "$tmp/src"
cp -R "$here/pyproject.toml" "$here/README.md" "$here/stream_client" "$here/tests" "$tmp/src/"
installed=""
candidates=("$python")
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ] && [ "$(command -v "$python")" != /usr/bin/python3 ]; then
  candidates+=(/usr/bin/python3)
fi
for py in "${candidates[@]}"; do
  venv=$tmp/venv-$(echo "$py" | tr -c 'a-zA-Z0-9\n' '_')
  # --system-site-packages: offline, setuptools and wheel may only be there (Debian's python3-wheel).
  if ! "$py" -m venv --system-site-packages "$venv" >"$tmp/install.log" 2>&1; then
    say "cannot make a virtual environment with $py: $(tail -n 1 "$tmp/install.log")"
    continue
  fi
  if "$venv/bin/python" -m pip install --no-index --no-build-isolation --no-deps "$tmp/src" \
       >>"$tmp/install.log" 2>&1; then
    installed=$venv/bin/python
    break
  fi
  why=$(grep -E '^ *error: ' "$tmp/install.log" | grep -vE 'subprocess-exited-with-error|metadata-generation-failed' \
        | head -n 1 | sed 's/^ *//') || true
  case $why in *bdist_wheel*) why="$why (no 'wheel' package for this Python offline)" ;; esac
  say "pip could not install the package with $py: ${why:-see the output of pip below}"
  [ -n "$why" ] || tail -n 20 "$tmp/install.log" | sed 's/^/  pip: /'
done
if [ -n "$installed" ]; then
  run_python=$installed
  site=$("$run_python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  expect_from=$site/stream_client
  say "installed with pip into a virtual environment ($("$run_python" --version 2>&1))"
else
  # No offline install possible (no pip, setuptools or wheel): test the source copy instead.
  "$python" - "$tmp/src/pyproject.toml" <<'EOF' || fail "pyproject.toml is not valid"
import sys
try:
    import tomllib
except ImportError:  # Python < 3.11: nothing to check the file with
    sys.exit(0)
project = tomllib.load(open(sys.argv[1], "rb"))["project"]
assert project["name"] == "stream-client" and project["dependencies"] == [], project
EOF
  run_python=$python
  export PYTHONPATH=$tmp/src
  expect_from=$tmp/src/stream_client
  say "NOTE: no offline pip install possible here; testing the package from PYTHONPATH instead"
fi

# --- a registry and a server of our own -------------------------------------------------------
cd "$repo"  # stream finds protocols/ from here
"$stream" --data "$tmp/data" init >"$tmp/init.log" 2>&1 || { cat "$tmp/init.log" >&2; fail "stream init failed"; }
"$stream" --data "$tmp/data" demo generate --patients 60 --sites 3 --seed 20261121 >"$tmp/demo.txt" 2>&1 \
  || { cat "$tmp/demo.txt" >&2; fail "stream demo generate failed"; }
password_of() { awk -v u="$1" '$1 == u && $3 ~ /^\(/ { print $2 }' "$tmp/demo.txt"; }
patients=$(sed -nE 's/^generated ([0-9]+) synthetic patients.*/\1/p' "$tmp/demo.txt")
enrolments=$(sed -nE 's/^ +([a-z0-9-]+): ([0-9]+) enrolled.*/\1=\2/p' "$tmp/demo.txt" | paste -sd, -)
stat_password=$(password_of statistician.demo)
dm_password=$(password_of data_manager.demo)
[ -n "$stat_password" ] && [ -n "$dm_password" ] && [ -n "$patients" ] && [ -n "$enrolments" ] \
  || { cat "$tmp/demo.txt" >&2; fail "could not read the demo accounts and counts above"; }

"$stream" --data "$tmp/data" serve --host 127.0.0.1 --port 0 >"$tmp/serve.log" 2>&1 &
server=$!
url=""
for _ in $(seq 1 100); do
  url=$(sed -nE 's#.*serving on (http://[^ /]+).*#\1#p' "$tmp/serve.log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$tmp/serve.log" >&2; fail "stream serve exited"; }
  sleep 0.2
done
[ -n "$url" ] || { cat "$tmp/serve.log" >&2; fail "stream serve did not start within 20 s"; }
say "server at $url ($patients patients; enrolments $enrolments)"

# --- API tokens through the session, as a user would get them ---------------------------------
token_for() {
  printf '%s\n' "$2" | "$run_python" -m stream_client token "$url" "$1" --label "client_python tests" \
    || fail "could not issue an API token for $1"
}
stat_token=$(token_for statistician.demo "$stat_password")
dm_token=$(token_for data_manager.demo "$dm_password")
case "$stat_token$dm_token" in stk_*stk_*) ;; *) fail "the issued tokens do not look like stk_… secrets" ;; esac

# --- the tests (from the copy, so the source tree gets no build or cache files) ---------------
cd "$tmp"
status=0
STREAM_URL=$url STREAM_TOKEN=$stat_token STREAM_DM_TOKEN=$dm_token STREAM_EXPECT_PATIENTS=$patients \
STREAM_EXPECT_ENROLMENTS=$enrolments STREAM_CLIENT_EXPECT_FROM=$expect_from \
  "$run_python" -m unittest discover -s "$tmp/src/tests" -t "$tmp/src/tests" -v 2>&1 | tee "$tmp/tests.log" \
  || status=$?
if [ "$status" -ne 0 ] || ! grep -qE '^OK' "$tmp/tests.log"; then
  tail -n 40 "$tmp/serve.log" | sed 's/^/  server: /' >&2
  fail "the unittest suite failed (see above)"
fi
ran=$(sed -nE 's/^Ran ([0-9]+) tests?.*/\1/p' "$tmp/tests.log")
[ "${ran:-0}" -gt 0 ] || fail "no tests ran"
say "ok: $ran tests passed"
