#!/usr/bin/env bash
# The images the Docker tests run, in the engine at $DOCKER_HOST (scripts/docker-engine.sh):
# debian:bookworm-slim (scripts/docker-base-image.sh), the backup-runner image from
# docker/Dockerfile as backup-yaml/backup-runner:test, and the stand-ins for the images the
# Compose examples name (test/support/docker/images): mariadb:10.11, postgres:15 and
# torrust/tracker:develop.
# BuildKit's cache in the engine's data-root makes a warm run a few seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
bash scripts/docker-base-image.sh
bash scripts/docker-build.sh backup-yaml/backup-runner:test --quiet >/dev/null
images=test/support/docker/images
DOCKER_BUILDKIT=1 docker build --quiet --network=host -t mariadb:10.11 "$images/mariadb" >/dev/null
DOCKER_BUILDKIT=1 docker build --quiet --network=host -t postgres:15 "$images/postgres" >/dev/null
DOCKER_BUILDKIT=1 docker build --quiet --network=host -t torrust/tracker:develop "$images/tracker" >/dev/null
# The Compose examples name the release tag.
docker tag backup-yaml/backup-runner:test "backup-yaml/backup-runner:$(node -p "require('./runner/package.json').version")"
# Layers of earlier builds are not needed once the tags moved on.
docker image prune -f >/dev/null
