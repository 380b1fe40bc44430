import * as assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { docker, ownedName, removeOwned } from '../support/docker/engine';
import { runMariaDbContainer, waitHealthy } from '../support/docker/mariadb-container';
import { makeWorkdir } from '../support/runner-cli';
import { freePort } from '../support/servers/ports';

// Compose starts the tracker and the sidecar once the database is healthy (`service_healthy`),
// so the stand-in's healthcheck.sh must not pass while the first start's temporary server runs:
// that one goes away for the restart that ends the initialisation (a CI run met that gap).
test('the mariadb stand-in is not healthy during its first start, only after it', async () => {
  const work = await makeWorkdir('backup-yaml-mariadb-stand-in-');
  const name = ownedName('mariadb-init');
  after(async () => {
    await removeOwned([name]);
    await work.cleanup();
  });
  // An init script that holds the temporary server up until the test lets it go.
  const hold = 'touch /tmp/in-initdb; while [ ! -e /tmp/release ]; do sleep 0.1; done\n';
  await runMariaDbContainer({
    name,
    port: await freePort(),
    dir: work.dir,
    rootPassword: 'stand-in-root',
    database: 'tracker',
    initSql: 'CREATE TABLE t (id INT PRIMARY KEY);',
    initFiles: { '20-hold.sh': hold },
  });
  const inside = (args: string[]) => docker(['exec', name, ...args], { check: false });
  for (let i = 0; i < 600 && (await inside(['test', '-e', '/tmp/in-initdb'])).exitCode !== 0; i++)
    await delay(100);
  // The temporary server answers on the socket (what the check used to test) ...
  const ping = await inside(['mariadb-admin', '--socket=/run/mysqld/mysqld.sock', 'ping']);
  assert.equal(ping.exitCode, 0, ping.stderr);
  // ... and is still not healthy.
  assert.notEqual((await inside(['healthcheck.sh'])).exitCode, 0);
  await inside(['touch', '/tmp/release']);
  await waitHealthy(name);
  assert.equal((await inside(['healthcheck.sh'])).exitCode, 0);
});
