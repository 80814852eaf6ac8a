#!/usr/bin/env bash
# Installs the Python Agent Server (`langgraph dev` from langgraph-cli[inmem], langgraph-api,
# langgraph-runtime-inmem) that runs test/fixtures/deployment-py, into a virtual environment in the
# test cache keyed by the lock's hash: ${LANGGRAPH_TEST_CACHE:-~/.cache/langgraph-vscode}/py-server-<hash>.
# Made with the standard library's venv; packages only from PyPI (pip's own index settings), every
# file checked against the lock's hashes. A no-op when that venv is complete (its marker is written
# last). Works the same under `npm run` and outside it. Prints the venv's path on its last line.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCK=$ROOT/test/fixtures/deployment-py/requirements.lock
CACHE=${LANGGRAPH_TEST_CACHE:-$HOME/.cache/langgraph-vscode}
HASH=$(sha256sum "$LOCK" | cut -c1-12)
VENV=$CACHE/py-server-$HASH
MARKER=$VENV/.setup-complete
PYTHON=${LANGGRAPH_TEST_PYTHON:-python3}

log() { echo "[py-server] $*" >&2; }

complete() { [ -f "$MARKER" ] && [ -x "$VENV/bin/langgraph" ]; }

if complete; then
  echo "$VENV"
  exit 0
fi

mkdir -p "$CACHE"
# Two setups at once (say `npm run setup` in two terminals) must not build the same venv together.
exec 9>"$CACHE/py-server-$HASH.lock"
flock 9
if complete; then
  echo "$VENV"
  exit 0
fi

if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  # Debian's own Python keeps venv's pip in a separate package.
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    log "apt-get install python3-venv"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends python3-venv >&2
  else
    log "$PYTHON has no venv/ensurepip: install python3-venv" && exit 1
  fi
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { log "$PYTHON is older than 3.11"; exit 1; }

start=$(date +%s)
log "venv $VENV ($("$PYTHON" --version 2>&1)), packages from $(basename "$LOCK")"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# Neither the outer npm's variables nor a Python path of the caller's reach pip; its index settings
# (PIP_INDEX_URL, pip.conf, PIP_FIND_LINKS, certificates) are left as the machine has them.
env -u PYTHONPATH -u PYTHONHOME -u PIP_REQUIRE_VIRTUALENV -u PIP_USER -u PIP_TARGET -u PIP_PREFIX \
  PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
  "$VENV/bin/python" -m pip install --quiet --require-hashes --no-deps -r "$LOCK" >&2
"$VENV/bin/python" -m pip check >&2
"$VENV/bin/langgraph" --version >&2
echo "lock $HASH, $("$VENV/bin/python" --version 2>&1), $(date -u +%FT%TZ)" >"$MARKER"
log "done in $(($(date +%s) - start)) s"
echo "$VENV"
