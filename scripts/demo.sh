#!/usr/bin/env bash
# Starts the example deployment (the fixture graphs on a real Agent Server) and opens an editor
# with the extension connected to it: desktop VS Code when `code` is on PATH, otherwise
# code-server on 127.0.0.1 (the URL is printed). Ctrl+C stops everything.
# Usage: npm run demo [-- --server python|js]. The Python Agent Server (`langgraph dev`, what
# LangGraph Platform and Python projects run) is the default when its venv is installed (setup
# makes it); else the JS one (`langgraphjs dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

server=""
while [ $# -gt 0 ]; do
  case "$1" in
    --server) [ $# -ge 2 ] || { echo "--server needs python or js" >&2; exit 2; }; server=$2; shift 2 ;;
    --server=*) server="${1#--server=}"; shift ;;
    *) echo "usage: npm run demo [-- --server python|js]" >&2; exit 2 ;;
  esac
done
case "$server" in
  ""|python|js) ;;
  *) echo "--server must be python or js, not '$server'" >&2; exit 2 ;;
esac

bash scripts/setup.sh
node esbuild.mjs --tests

if [ -z "$server" ]; then
  if node -e "const h = require('./out/test/harness/agentServer.js'); process.exit(require('fs').existsSync(require('path').join(h.pythonVenv(), '.setup-complete')) ? 0 : 1)"; then
    server=python
  else
    server=js
  fi
fi

workspace=$root/.test-runs/demo-workspace
mkdir -p "$workspace/.vscode" "$workspace/runs"

# The Agent Server, on a free loopback port.
node out/test/harness/cli.js --server "$server" > "$root/.test-runs/demo-server.out" 2>&1 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null; [ -n "${cs_pid:-}" ] && kill -- -$cs_pid 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
for _ in $(seq 1 120); do
  url=$(sed -n 's/^AGENT_SERVER_URL=//p' "$root/.test-runs/demo-server.out" | head -1)
  [ -n "$url" ] && break
  kill -0 $server_pid 2>/dev/null || { cat "$root/.test-runs/demo-server.out"; exit 1; }
  sleep 0.5
done
[ -n "${url:-}" ] || { echo "the Agent Server did not start"; cat "$root/.test-runs/demo-server.out"; exit 1; }
echo "Agent Server (example deployment, $server server): $url"

cat > "$workspace/.vscode/settings.json" <<JSON
{ "langgraph.deployments": [{ "name": "Example deployment", "url": "$url" }] }
JSON
# The example run files: right-click one → Create Run from JSON File…, or use its CodeLens.
cp examples/*.json "$workspace/runs/"

if command -v code >/dev/null 2>&1; then
  code --new-window --extensionDevelopmentPath="$root" "$workspace"
  echo "VS Code opened. Ctrl+C here stops the Agent Server."
  wait $server_pid
else
  cache=$(bash scripts/install-test-host.sh)
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  # The demo's own profile: the deployment goes in its user settings too, and the workspace (made
  # by this script) needs no trust prompt.
  mkdir -p "$root/.test-runs/demo-code-server/user-data/User"
  cat > "$root/.test-runs/demo-code-server/user-data/User/settings.json" <<JSON
{ "langgraph.deployments": [{ "name": "Example deployment", "url": "$url" }], "workbench.startupEditor": "none",
  "telemetry.telemetryLevel": "off", "update.mode": "none", "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden" }
JSON
  PATH="$cache/node-24.21.0/bin:$PATH" EXTENSIONS_GALLERY='{}' setsid "$cache/code-server-4.139.1/bin/code-server" \
    --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check --disable-workspace-trust \
    --user-data-dir "$root/.test-runs/demo-code-server/user-data" \
    --extensions-dir "$root/.test-runs/demo-code-server/extensions" \
    --vscode-option enable-smoke-test-driver "$workspace" > "$root/.test-runs/demo-code-server.log" 2>&1 &
  cs_pid=$!
  payload=$(node -e "console.log(encodeURIComponent(JSON.stringify([['extensionDevelopmentPath','vscode-remote://127.0.0.1:$port$root']])))")
  folder=$(node -e "console.log(encodeURIComponent('$workspace'))")
  echo
  echo "Open in a browser: http://127.0.0.1:$port/?folder=$folder&payload=$payload"
  echo "Ctrl+C stops the editor and the Agent Server."
  wait $cs_pid
fi
