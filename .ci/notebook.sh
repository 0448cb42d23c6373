#!/usr/bin/env bash
# Runs examples/factgraph.ipynb against a fresh `factgraph serve` and fails if any
# cell fails. Installs Debian's Jupyter, pandas, requests, SPARQLWrapper and rdflib
# first if missing.
#
#   .ci/notebook.sh            # the executed notebook is left in a temp dir
#   KEEP=/tmp/out.ipynb .ci/notebook.sh
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages live in /usr/bin/python3; the python3 first on PATH may be
# another interpreter without them, so everything below calls /usr/bin explicitly.
pkgs=(python3-nbclient python3-ipykernel python3-pandas python3-requests jupyter-nbconvert
  python3-sparqlwrapper python3-rdflib)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "== installing ${missing[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== building factgraph"
go build -o "$work/factgraph" ./cmd/factgraph

echo "== starting factgraph serve on a free loopback port"
# Port 0: the kernel picks a free port and serve prints its URL, so there is no
# window in which another process could take a port picked beforehand.
"$work/factgraph" serve --addr 127.0.0.1:0 --timeout 30s >"$work/serve.out" 2>"$work/serve.log" &
pid=$!

url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/^serving .* at \(http:\/\/127\.0\.0\.1:[0-9]*\) .*/\1/p' "$work/serve.out")
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "factgraph serve exited early:"; cat "$work/serve.out" "$work/serve.log"; exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then echo "factgraph serve printed no URL"; cat "$work/serve.log"; exit 1; fi

healthy=""
for _ in $(seq 1 100); do
  if /usr/bin/python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/healthz", timeout=2)' "$url" 2>/dev/null; then
    healthy=yes; break
  fi
  sleep 0.1
done
if [ -z "$healthy" ]; then echo "no answer from $url/healthz"; cat "$work/serve.log"; exit 1; fi
echo "   $url is healthy"

echo "== executing examples/factgraph.ipynb"
out="$work/factgraph.out.ipynb"
if ! FACTGRAPH_URL="$url" PYDEVD_DISABLE_FILE_VALIDATION=1 \
  /usr/bin/jupyter-nbconvert --to notebook --execute examples/factgraph.ipynb \
  --ExecutePreprocessor.timeout=300 --output "$out"; then
  echo "a notebook cell failed; the server's log:"
  tail -n 50 "$work/serve.log"
  exit 1
fi
if [ -n "${KEEP:-}" ]; then cp "$out" "$KEEP"; echo "   executed notebook: $KEEP"; fi
echo "== notebook OK ($(grep -c 'msg=request' "$work/serve.log" || true) requests served)"
