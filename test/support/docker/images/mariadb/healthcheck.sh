#!/bin/bash
# Like the official image's `healthcheck.sh --connect`: the server answers on its socket.
exec mariadb-admin --socket=/run/mysqld/mysqld.sock -uroot ping --silent
