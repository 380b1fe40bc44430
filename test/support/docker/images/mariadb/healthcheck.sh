#!/bin/bash
# Like the official image's `healthcheck.sh --connect`: the server answers, and it is not the
# temporary server of the first start (entrypoint.sh runs that one with --skip-networking, as the
# official image does). Answering on the socket alone would report "healthy" during the
# initialisation and then the server would go away for the restart that ends it.
set -euo pipefail
skip=$(mariadb --socket=/run/mysqld/mysqld.sock -uroot -N -B -e 'SELECT @@skip_networking' 2>/dev/null)
[ "$skip" = 0 ]
