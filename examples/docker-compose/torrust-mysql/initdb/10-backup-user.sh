#!/bin/bash
# Runs once, at the database's first start (the mariadb image's /docker-entrypoint-initdb.d):
# the tracker's tables and a backup user with only the grants a dump needs, its password read
# from the Compose secret (never an environment literal).
set -euo pipefail
password=$(cat /run/secrets/mysql-backup-password)
mariadb -uroot torrust_tracker <<SQL
CREATE TABLE IF NOT EXISTS torrents (id INTEGER PRIMARY KEY AUTO_INCREMENT,
  info_hash VARCHAR(40) NOT NULL UNIQUE, completed INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE IF NOT EXISTS whitelist (id INTEGER PRIMARY KEY AUTO_INCREMENT,
  info_hash VARCHAR(40) NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS \`keys\` (id INTEGER PRIMARY KEY AUTO_INCREMENT,
  \`key\` VARCHAR(32) NOT NULL UNIQUE, valid_until INTEGER);
CREATE USER IF NOT EXISTS backup@'%' IDENTIFIED BY '${password//\'/\'\'}';
GRANT SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES ON torrust_tracker.* TO backup@'%';
GRANT SELECT ON mysql.proc TO backup@'%';
SQL
