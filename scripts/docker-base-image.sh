#!/usr/bin/env bash
# Makes the image debian:bookworm-slim in the engine at $DOCKER_HOST without a container
# registry (none is reachable on our machines): mmdebstrap builds a minbase bookworm root like the
# official slim image (no docs, man pages or locales; apt's docker-clean settings), `docker
# import` turns it into the image. The root tar is cached in ~/.cache and re-made each ISO week
# (security updates) or when this recipe changes; an image made from the same key is kept.
set -euo pipefail
export PATH=/usr/sbin:/usr/bin:/sbin:/bin # mmdebstrap's helpers are python: no pyenv shims
CACHE=${BACKUP_YAML_DOCKER_CACHE:-$HOME/.cache/backup-yaml/docker}
IMAGE=debian:bookworm-slim
key="$(sha256sum "$0" | cut -c1-12)-$(date +%G-%V)"

if [ "$(docker image inspect -f '{{index .Config.Labels "backup-yaml.base-key"}}' "$IMAGE" 2>/dev/null)" = "$key" ]; then
  exit 0
fi
mkdir -p "$CACHE"
tar="$CACHE/bookworm-slim-$key.tar"
if [ ! -s "$tar" ]; then
  rm -f "$CACHE"/bookworm-slim-*.tar
  echo "mmdebstrap bookworm (minbase) -> $tar"
  # The official image's apt settings, so `RUN apt-get install` layers stay slim too.
  clean='DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";'
  mmdebstrap --variant=minbase --mode=root --format=tar \
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr \
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --dpkgopt='path-include=/usr/share/locale/locale.alias' \
    --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='force-unsafe-io' \
    --aptopt='Acquire::Languages "none"' --aptopt='APT::AutoRemove::SuggestsImportant "false"' \
    --customize-hook="printf '%s\n' '$clean' > \"\$1/etc/apt/apt.conf.d/docker-clean\"" \
    --customize-hook='rm -f "$1"/var/cache/apt/*.bin' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/*' \
    bookworm "$tar.partial" /etc/apt/sources.list.d/debian.sources >"$CACHE/mmdebstrap.log" 2>&1 ||
    {
      tail -n 40 "$CACHE/mmdebstrap.log" >&2
      exit 1
    }
  mv "$tar.partial" "$tar"
fi
echo "docker import $tar -> $IMAGE"
docker import --change 'CMD ["bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change "LABEL backup-yaml.base-key=$key" "$tar" "$IMAGE" >/dev/null
