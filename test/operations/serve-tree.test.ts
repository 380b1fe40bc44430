// The snapshot tree's requests over `serve --stdio`: snapshots, ls and cat run inside serve
// (no process start per folder), each with its own cancel, next to commands serve runs as child
// processes, which must still see the secrets an in-process command took out of serve's
// environment.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ServeMessage } from '../../runner/src/protocol';
import { startServe } from '../support/serve-session';
import type { OpsStack } from './support/ops-stack';
import { cli, makeOpsStack } from './support/ops-stack';

const PASSWORD = 'correct horse battery staple';

describe('serve: the snapshot tree over one connection', () => {
  let stack: OpsStack;
  let spec: string;
  let config: string;

  before(async () => {
    stack = await makeOpsStack();
    // Big enough that its dump is still streaming when the cancel arrives.
    await writeFile(join(stack.app, 'etc', 'big.bin'), randomBytes(48 * 1024 * 1024));
    // The password comes from serve's environment: what an in-process command withdraws.
    spec = await stack.spec({
      targets: { local: { repository: stack.repository, password: { env: 'TREE_TEST_PW' } } },
    });
    await cli(['run', '-c', spec], 0, { TREE_TEST_PW: PASSWORD });
    config = `config${stack.app}`;
  });
  after(() => stack?.cleanup());

  const exitOf = (messages: ServeMessage[], id: number) => {
    const exit = messages.find((m) => m.type === 'serve-exit' && m.id === id);
    return exit?.type === 'serve-exit' ? exit.exitCode : undefined;
  };
  const recordsOf = (messages: ServeMessage[], id: number) =>
    messages.flatMap((m) => (m.type === 'serve-record' && m.id === id ? [m.record] : []));

  test('snapshots, ls (then from the cache) and cat answer over serve; a restore child still gets the password', async () => {
    const serve = startServe({ TREE_TEST_PW: PASSWORD });
    const to = await mkdtemp(join(stack.work.path(''), 'restored-'));
    try {
      serve.send({ type: 'request', id: 1, argv: ['snapshots', '-c', spec, '--json'] });
      await serve.until((m) => m.type === 'serve-exit' && m.id === 1);
      const [snapshot] = recordsOf(serve.messages, 1);
      assert.ok(snapshot?.type === 'snapshot', JSON.stringify(serve.messages.slice(-3)));
      for (const id of [2, 3]) {
        serve.send({
          type: 'request',
          id,
          argv: ['ls', '-c', spec, snapshot.id, `${config}/etc`, '--json'],
        });
        await serve.until((m) => m.type === 'serve-exit' && m.id === id);
      }
      const [first, second] = [recordsOf(serve.messages, 2)[0], recordsOf(serve.messages, 3)[0]];
      assert.ok(first?.type === 'listing' && second?.type === 'listing');
      assert.deepEqual([first.cached, second.cached], [false, true]);
      serve.send({
        type: 'request',
        id: 4,
        argv: ['cat', '-c', spec, snapshot.id, `${config}/etc/tracker.toml`, '--json'],
      });
      await serve.until((m) => m.type === 'serve-exit' && m.id === 4);
      const bytes = Buffer.concat(
        recordsOf(serve.messages, 4).flatMap((r) =>
          r.type === 'file-chunk' ? [Buffer.from(r.data, 'base64')] : [],
        ),
      );
      assert.ok(bytes.equals(await readFile(join(stack.app, 'etc', 'tracker.toml'))));
      // restore runs as serve's child: it needs TREE_TEST_PW, which snapshots took out of
      // serve's environment.
      serve.send({
        type: 'request',
        id: 5,
        argv: [
          'restore',
          '-c',
          spec,
          snapshot.id,
          '--source',
          'config',
          '--path',
          `${stack.app}/etc/tracker.toml`,
          '--to',
          to,
          '--json',
        ],
      });
      await serve.until((m) => m.type === 'serve-exit' && m.id === 5);
      assert.equal(exitOf(serve.messages, 5), 0, JSON.stringify(recordsOf(serve.messages, 5)));
      assert.equal(
        await readFile(join(to, 'tracker.toml'), 'utf8'),
        '[core]\nlisten = "0.0.0.0:6969"\n',
      );
    } finally {
      serve.child.stdin.end();
      await serve.child;
    }
  });

  test('a cancel stops its own in-process cat and nothing else', async () => {
    const serve = startServe({ TREE_TEST_PW: PASSWORD });
    try {
      const path = `${config}/etc/big.bin`;
      serve.send({
        type: 'request',
        id: 1,
        argv: ['cat', '-c', spec, 'latest', path, '--max-bytes', '0', '--json'],
      });
      await serve.until(
        (m) => m.type === 'serve-record' && m.id === 1 && m.record.type === 'file-chunk',
      );
      serve.send({
        type: 'request',
        id: 2,
        argv: ['ls', '-c', spec, 'latest', `${config}/etc`, '--json'],
      });
      serve.send({ type: 'cancel', id: 1 });
      await serve.until((m) => m.type === 'serve-exit' && m.id === 1);
      await serve.until((m) => m.type === 'serve-exit' && m.id === 2);
      assert.equal(exitOf(serve.messages, 1), 130, 'the cat was cancelled');
      const received = recordsOf(serve.messages, 1).filter((r) => r.type === 'file-chunk').length;
      assert.ok(received * 65536 < 48 * 1024 * 1024, 'before all of it was sent');
      assert.equal(exitOf(serve.messages, 2), 0, 'the listing beside it was not');
      serve.send({ type: 'request', id: 3, argv: ['version', '--json'] });
      await serve.until((m) => m.type === 'serve-exit' && m.id === 3);
      assert.equal(exitOf(serve.messages, 3), 0, 'serve goes on');
    } finally {
      serve.child.stdin.end();
      await serve.child;
    }
  });
});
