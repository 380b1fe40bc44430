#!/usr/bin/env bash
# Installs what the tests run against, idempotently: Debian packages (real restic, sqlite3,
# MariaDB, OpenSSH, zstd, rclone, Chromium) and the code-server cache. A no-op when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(restic sqlite3 mariadb-server mariadb-client openssh-server openssh-client zstd rclone
  chromium ripgrep build-essential python3 pkg-config libkrb5-dev git ca-certificates)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
    echo "missing Debian packages: ${missing[*]} (install them as root)" >&2
    exit 1
  fi
  echo "apt-get install ${missing[*]}"
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

bash scripts/install-code-server.sh
