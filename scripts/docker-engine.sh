#!/usr/bin/env bash
# A private Docker engine for the tests: Debian's dockerd on its own socket, host networking only
# (no bridge, no iptables), its data-root kept under ~/.cache so warm runs reuse the images.
#
#   scripts/docker-engine.sh start   starts it unless ours already runs; prints DOCKER_HOST=...
#                                    and "started" or "reused" on the last line
#   scripts/docker-engine.sh stop    removes its containers, stops dockerd by PID, unmounts leftovers
#   scripts/docker-engine.sh env     prints DOCKER_HOST=... (whether or not it runs)
#
# State (socket, pidfile, exec-root) lives in a short directory: the exec-root holds unix sockets,
# whose paths are limited to about 107 characters.
set -euo pipefail
# /usr/local/bin/docker on our machines is a newer client without buildx or compose: use Debian's.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
STATE=${BACKUP_YAML_DOCKER_STATE:-/tmp/backup-yaml-docker}
DATA_ROOT=${BACKUP_YAML_DOCKER_DATA_ROOT:-$HOME/.cache/backup-yaml/docker/data-root}
SOCKET=$STATE/docker.sock
PIDFILE=$STATE/dockerd.pid
export DOCKER_HOST=unix://$SOCKET

# A killed dockerd stays a zombie here (PID 1 reaps late), so kill -0 is not enough.
alive() {
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] || return 1
  local state
  state=$(sed -E 's/^[0-9]+ \(.*\) ([A-Z]).*/\1/' "/proc/$pid/stat")
  [ "$state" != Z ] && grep -q dockerd "/proc/$pid/comm"
}

# dockerd bind-mounts its data-root onto itself and may leave an nsfs mount behind after a crash.
unmount_leftovers() {
  local mount
  for root in "$STATE" "$DATA_ROOT"; do
    awk -v r="$root" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/mounts | sort -r |
      while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  done
}

start() {
  if alive && docker version >/dev/null 2>&1; then
    echo "DOCKER_HOST=$DOCKER_HOST"
    echo reused
    return 0
  fi
  if ! command -v dockerd >/dev/null; then
    echo "dockerd is not installed (scripts/ensure-test-deps.sh installs docker.io)" >&2
    return 1
  fi
  unmount_leftovers
  rm -rf "$STATE"
  mkdir -p "$STATE" "$DATA_ROOT"
  # An empty config file keeps /etc/docker/daemon.json (a user's settings) out of the tests.
  echo '{}' >"$STATE/daemon.json"
  setsid dockerd --config-file "$STATE/daemon.json" --iptables=false --ip6tables=false \
    --bridge=none --storage-driver=overlay2 --shutdown-timeout=2 --data-root "$DATA_ROOT" \
    --exec-root "$STATE/x" -H "$DOCKER_HOST" --pidfile "$PIDFILE" \
    >"$STATE/dockerd.log" 2>&1 </dev/null &
  for _ in $(seq 300); do
    if docker version >/dev/null 2>&1; then
      echo "DOCKER_HOST=$DOCKER_HOST"
      echo started
      return 0
    fi
    sleep 0.1
  done
  echo "dockerd did not answer on $SOCKET within 30 s; its log:" >&2
  tail -n 20 "$STATE/dockerd.log" >&2 || true
  stop >/dev/null 2>&1 || true
  return 1
}

stop() {
  if alive; then
    local containers
    containers=$(docker ps -aq 2>/dev/null || true)
    # shellcheck disable=SC2086 # one id per word
    [ -z "$containers" ] || docker rm -f $containers >/dev/null 2>&1 || true
    local pid
    pid=$(cat "$PIDFILE")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
      alive || break
      sleep 0.1
    done
    if alive; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  unmount_leftovers
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "DOCKER_HOST=$DOCKER_HOST" ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
