#!/bin/bash
# First start: initialise the data directory, set the root password, create the database and
# user, run /docker-entrypoint-initdb.d/*.sql and *.sh. Then run mariadbd with the given options.
# Passwords come from *_FILE and stay in unexported shell variables: never in the server's
# environment or argv.
set -euo pipefail
secret() {
  local file_var="${1}_FILE" value_var="$1"
  if [ -n "${!file_var:-}" ]; then cat "${!file_var}"; else printf '%s' "${!value_var:-}"; fi
}
quote() { printf "'%s'" "${1//\'/\'\'}"; }
DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
if [ ! -d "$DATADIR/mysql" ]; then
  root_password=$(secret MARIADB_ROOT_PASSWORD)
  user_password=$(secret MARIADB_PASSWORD)
  unset MARIADB_ROOT_PASSWORD MARIADB_PASSWORD
  mariadb-install-db --user=mysql --datadir="$DATADIR" --skip-test-db \
    --auth-root-authentication-method=socket >/dev/null
  mariadbd --user=mysql --datadir="$DATADIR" --skip-networking --socket="$SOCKET" &
  temporary=$!
  for _ in $(seq 300); do mariadb-admin --socket="$SOCKET" ping >/dev/null 2>&1 && break; sleep 0.1; done
  {
    echo "ALTER USER root@localhost IDENTIFIED VIA unix_socket OR mysql_native_password USING PASSWORD($(quote "$root_password"));"
    echo "CREATE USER root@'%' IDENTIFIED BY $(quote "$root_password"); GRANT ALL ON *.* TO root@'%' WITH GRANT OPTION;"
    if [ -n "${MARIADB_DATABASE:-}" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"; fi
    if [ -n "${MARIADB_USER:-}" ]; then
      echo "CREATE USER $(quote "$MARIADB_USER")@'%' IDENTIFIED BY $(quote "$user_password");"
      if [ -n "${MARIADB_DATABASE:-}" ]; then echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO $(quote "$MARIADB_USER")@'%';"; fi
    fi
  } | mariadb --socket="$SOCKET" -uroot
  for file in /docker-entrypoint-initdb.d/*; do
    case "$file" in
      *.sql) mariadb --socket="$SOCKET" -uroot ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} <"$file" ;;
      *.sh) bash "$file" ;;
    esac
  done
  mariadb-admin --socket="$SOCKET" -uroot shutdown
  wait "$temporary" || true
  unset root_password user_password
fi
exec mariadbd --user=mysql --datadir="$DATADIR" --socket="$SOCKET" "$@"
