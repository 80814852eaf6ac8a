#!/usr/bin/env bash
# Installs everything a fresh machine lacks for development and tests: the extension's npm
# packages (npm ci), the fixture deployment's packages (npm install: its lock holds
# platform-specific packages that npm ci refuses), and the offline VS Code test host.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "[setup] $*"; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "npm ci"
  npm ci --no-audit --no-fund
fi

fixture=test/fixtures/deployment
if [ ! -d $fixture/node_modules ] || [ $fixture/package-lock.json -nt $fixture/node_modules/.package-lock.json ]; then
  log "npm install in $fixture"
  (cd $fixture && npm install --no-audit --no-fund)
fi

log "Python Agent Server (venv from test/fixtures/deployment-py/requirements.lock)" && bash scripts/setup-python-server.sh >/dev/null
log "VS Code test host (code-server, Node 24, Chromium)"
bash scripts/install-test-host.sh >/dev/null
log "done"
