import * as assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { makeStack, shopSource, stackTarget } from '../support/demo-stack';
import type { Workdir } from '../support/runner-cli';
import { finished, makeWorkdir, runCli, stepStatus } from '../support/runner-cli';
import type { MariaDb } from '../support/servers/index';
import { startMariaDb } from '../support/servers/index';

/**
 * Issue 10, item 10: every secret is read in the preflight, before hooks.before. Here the MySQL
 * password comes from a command that only works while the application runs (a secrets agent
 * the before hook stops): read after the hook, it would be gone.
 */
describe('the MySQL password is read in the preflight, before hooks.before', () => {
  let work: Workdir;
  let db: MariaDb;

  before(async () => {
    [work, db] = await Promise.all([makeWorkdir('backup-yaml-mysql-pre-'), startMariaDb()]);
    await db.sql(
      'CREATE DATABASE shop; CREATE TABLE shop.items (id INT PRIMARY KEY); INSERT INTO shop.items VALUES (1);',
    );
    await db.createUser(
      'backup',
      'agent-S3cret-9a8b',
      'SELECT, SHOW VIEW, TRIGGER, EVENT, LOCK TABLES',
    );
  });
  after(async () => {
    await db?.stop();
    await work?.cleanup();
  });

  test('a password the before hook makes unavailable was read in time', async () => {
    const stack = await makeStack(work);
    const agent = work.path('agent-secret');
    await writeFile(agent, 'agent-S3cret-9a8b\n', { mode: 0o600 });
    const spec = await work.writeSpec({
      version: 1,
      name: 'shop',
      sources: {
        shop: shopSource(db.port, { password_command: ['cat', agent] }),
      },
      staging: { dir: stack.staging },
      targets: { local: stackTarget(stack) },
      // "Stopping the application" takes its secrets agent with it; after puts it back.
      hooks: {
        before: [['sh', '-c', `mv ${agent} ${agent}.stopped`]],
        after: [['sh', '-c', `mv ${agent}.stopped ${agent}`]],
        on_failure: [['sh', '-c', `mv ${agent}.stopped ${agent}`]],
      },
    });
    assert.equal((await runCli(['init', '-c', spec])).exitCode, 0);
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 0, result.stdout.slice(-3000));
    assert.equal(stepStatus(result, 'preflight'), 'ok');
    assert.equal(stepStatus(result, 'dump:shop'), 'ok');
    assert.equal(finished(result).status, 'ok');
  });

  test('a password that cannot be read fails the preflight: the application is never stopped', async () => {
    const stack = await makeStack(work);
    const spec = await work.writeSpec(
      {
        version: 1,
        name: 'shop',
        sources: {
          shop: shopSource(db.port, { password_file: work.path('missing.pw') }),
        },
        staging: { dir: `${stack.staging}-2` },
        targets: { local: stackTarget(stack) },
        hooks: { before: [['sh', '-c', `touch ${work.path('stopped')}`]] },
      },
      'missing.yaml',
    );
    const result = await runCli(['run', '-c', spec, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(finished(result).error?.code, 'secret-unavailable');
    assert.equal(finished(result).error?.subject, 'shop');
    assert.equal(stepStatus(result, 'preflight'), 'failed');
    assert.equal(stepStatus(result, 'hook:before[0]'), 'skipped');
  });
});
