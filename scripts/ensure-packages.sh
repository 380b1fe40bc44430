#!/usr/bin/env bash
# Installs the given Debian packages when missing (as root, or through sudo). Idempotent.
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then as_root=(); elif command -v sudo >/dev/null; then as_root=(sudo); else
  echo "missing Debian packages: ${missing[*]} (install them as root)" >&2
  exit 1
fi
echo "apt-get install ${missing[*]}"
# Another install may hold apt's locks (two test runs at once): wait for it rather than fail.
for attempt in 1 2 3 4 5 6; do
  "${as_root[@]}" apt-get -o DPkg::Lock::Timeout=300 update -qq && break
  [ "$attempt" = 6 ] && exit 1
  sleep 10
done
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
  "${missing[@]}" >/dev/null
