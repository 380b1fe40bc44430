#!/bin/bash
# First start: initdb into PGDATA with the superuser's password (scram-sha-256 over TCP, trust on
# the socket inside the container, as the official image), create POSTGRES_DB, run
# /docker-entrypoint-initdb.d/*.sql and *.sh. Then run the server as postgres with the given
# options. The password comes from POSTGRES_PASSWORD_FILE and stays out of the server's
# environment and argv.
set -euo pipefail
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
secret() {
  local file_var="${1}_FILE" value_var="$1"
  if [ -n "${!file_var:-}" ]; then cat "${!file_var}"; else printf '%s' "${!value_var:-}"; fi
}
if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
user=${POSTGRES_USER:-postgres}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  password=$(secret POSTGRES_PASSWORD)
  unset POSTGRES_PASSWORD
  pwfile=$(mktemp)
  printf '%s\n' "$password" >"$pwfile"
  chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" --username="$user" --pwfile="$pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  unset password
  echo 'host all all all scram-sha-256' >>"$PGDATA/pg_hba.conf"
  as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [ -n "${POSTGRES_DB:-}" ] && [ "$POSTGRES_DB" != "$user" ]; then
    printf 'CREATE DATABASE "%s";\n' "${POSTGRES_DB//\"/\"\"}" | psql -v ON_ERROR_STOP=1 -U "$user" -d postgres -q
  fi
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sql) psql -v ON_ERROR_STOP=1 -U "$user" -d "${POSTGRES_DB:-$user}" -q -f "$file" ;;
      *.sh) bash "$file" ;;
    esac
  done
  as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
if [ "$1" = 'postgres' ]; then exec setpriv --reuid=postgres --regid=postgres --init-groups "$@"; fi
exec "$@"
