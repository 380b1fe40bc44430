#!/usr/bin/env bash
# Installs what the tests run against, idempotently: Debian packages (real restic, sqlite3,
# MariaDB, PostgreSQL (initdb, postgres, pg_dump, psql), OpenSSH, zstd, rclone, Chromium, a Docker
# engine with mmdebstrap and docker-compose v1; util-linux, mount and e2fsprogs for the fault
# suite's small disks, setpriv and unshare) and the code-server cache. A no-op when all is there.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-packages.sh restic sqlite3 mariadb-server mariadb-client openssh-server \
  openssh-client zstd rclone chromium ripgrep build-essential python3 pkg-config libkrb5-dev git \
  ca-certificates docker.io mmdebstrap docker-compose util-linux mount e2fsprogs postgresql \
  postgresql-client
bash scripts/install-code-server.sh
