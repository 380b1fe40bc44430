// Real servers for tests, on 127.0.0.1 only, each stopped by its test by PID.
export { startMariaDb, sqlString } from './mariadb';
export type { MariaDb, MariaDbOptions } from './mariadb';
export { startSshd } from './sshd';
export type { Sshd } from './sshd';
export { startRestServer } from './rest-server';
export type { RestServer, RestServerOptions } from './rest-server';
export { freePort, isPortOpen, LOOPBACK, waitUntil } from './ports';
export { isProcessAlive, killProcess, stopProcess } from './process';
export { findPostgresBinaries, pgIdentifier, pgString, startPostgres } from './postgres';
export type { Postgres } from './postgres';
