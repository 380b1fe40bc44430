#!/usr/bin/env bash
# Installs code-server (a real VS Code 1.100) from the npm registry into a cache folder outside
# the project's node_modules, without any download from GitHub. Idempotent: a finished install
# leaves a marker and is reused. See ../shared/docs/real-vscode-in-tests.md for why each step.
set -euo pipefail
version=4.100.3
cache=${BACKUP_YAML_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/backup-yaml}
dest="$cache/code-server-$version"
if [ -f "$dest/.installed" ]; then
  echo "code-server $version: cached at $dest"
  exit 0
fi
command -v rg >/dev/null || { echo "ripgrep (Debian package) is required" >&2; exit 1; }
rm -rf "$dest"
mkdir -p "$dest"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# @vscode/ripgrep looks in this cache before it tries GitHub.
rgcache="$tmp/vscode-ripgrep-cache-1.15.11"
mkdir -p "$rgcache/x"
cp "$(command -v rg)" "$rgcache/x/rg"
tar -C "$rgcache/x" -czf "$rgcache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" rg
cd "$dest"
echo '{"name":"code-server-cache","private":true}' >package.json
TMPDIR="$tmp" npm_config_yes=true npm_config_nodedir=/usr \
  npm install --no-save --unsafe-perm --no-audit --no-fund --dangerously-allow-all-scripts \
  "code-server@$version" >"$tmp/npm.log" 2>&1 || {
  tail -40 "$tmp/npm.log" >&2
  exit 1
}
test -f "$dest/node_modules/code-server/out/node/entry.js"
touch "$dest/.installed"
echo "code-server $version: installed at $dest"
