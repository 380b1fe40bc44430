// The Backups view's logic that needs no editor: what a file of a snapshot is shown as, which
// state an error puts a tree node in, and what a restore reports. The extension-host suite
// (test/vscode/remote-suite/backups.test.ts) runs the same code against real hosts; these pin
// the cases it cannot reach (a locked repository, a missing runner, binary detection's edges).
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { binaryNotice, isBinary, sqliteSummaryText } from '../../client/src/file-view';
import type { Host } from '../../client/src/hosts';
import type { ClientError } from '../../client/src/errors';
import { restoreSummary, scratchDirectory } from '../../client/src/restore-text';
import { lockedLabel, noSnapshotsState, treeStateOf } from '../../client/src/tree-states';

const host: Host = {
  id: 'ssh:db1:/etc/backup.yaml',
  label: 'db1',
  spec: '/etc/backup.yaml',
  entry: { host: 'db1', spec: '/etc/backup.yaml' },
};

describe('what a file of a snapshot is shown as', () => {
  test('text stays text, also UTF-8 beyond ASCII; a NUL or invalid UTF-8 makes it binary', () => {
    assert.equal(isBinary(Buffer.from('[core]\nname = "Tränker — ✓"\n')), false);
    assert.equal(isBinary(Buffer.from('')), false);
    assert.equal(isBinary(Buffer.from([0x53, 0x51, 0x4c, 0x00, 0x01])), true);
    assert.equal(isBinary(Buffer.from([0xc3, 0x28])), true, 'invalid UTF-8');
    assert.match(
      binaryNotice('config/geo.bin', 2048, 'snapshot 1a2b3c4d'),
      /binary file \(2\.0 KiB, 2048 bytes\) in snapshot 1a2b3c4d[\s\S]*Restore…/,
    );
  });

  test('a SQLite summary puts integrity first, then each table with its rows', () => {
    const base = {
      type: 'sqlite-summary' as const,
      target: 'local',
      snapshotId: 'ab'.repeat(32),
      path: 'tracker-db/tracker.db',
      size: 8192,
      pageSize: 4096,
      userVersion: 3,
    };
    const sound = sqliteSummaryText(
      {
        ...base,
        integrity: ['ok'],
        tables: [
          { name: 'torrents', rows: 3000 },
          { name: 'users', rows: 2 },
        ],
      },
      'abababab',
    );
    assert.match(
      sound,
      /PRAGMA integrity_check: ok\n\ntable\s+rows\n-+\s+----\ntorrents\s+3000\nusers\s+2\n\n2 table\(s\), 3002 row\(s\)/,
    );
    const broken = sqliteSummaryText(
      { ...base, integrity: ['row 3 missing from index i1'], tables: [] },
      'abababab',
    );
    assert.match(broken, /PRAGMA integrity_check: PROBLEMS\n {2}row 3 missing from index i1/);
  });
});

describe('the state an error puts a tree node in', () => {
  const restic014Locked =
    'the repository of target "local" is locked by another restic process: unable to create lock in backend: repository is already locked exclusively by PID 4242 on db1 by root (UID 0, GID 0) lock was created at 2026-12-03 17:02:11 (3m2.1s ago) storage ID 1a2b3c4d';

  test('a locked repository names who holds it and since when', () => {
    assert.equal(
      lockedLabel(restic014Locked),
      'Repository locked by root@db1 (PID 4242) since 2026-12-03 17:02:11',
    );
    assert.equal(
      lockedLabel(
        'another run (r-1, PID 77 on db1, started 2026-12-03T17:00:00Z) holds /var/backups/backup-yaml.lock',
      ),
      'Locked by a run on db1 (PID 77) since 2026-12-03T17:00:00Z',
    );
    const state = treeStateOf({ code: 'restic-locked', message: restic014Locked }, host, 'local');
    assert.equal(state.kind, 'locked');
    assert.equal(state.action.command, 'backupYaml.refreshBackups');
  });

  test('each code maps to its state and action', () => {
    const kind = (code: ClientError['code'], message = 'x') =>
      treeStateOf({ code, message }, host, 'local');
    assert.deepEqual(kind('restic-no-repository').action, {
      title: 'Init',
      command: 'backupYaml.initRepository',
      arguments: [host.id, 'local'],
    });
    assert.equal(kind('restic-wrong-password').kind, 'wrong-password');
    assert.equal(kind('unreachable', 'cannot reach db1: Connection refused').kind, 'unreachable');
    assert.equal(kind('host-key-unknown').kind, 'unreachable');
    assert.equal(kind('other-arch').kind, 'runner-missing');
    assert.equal(
      kind('connection-lost', 'the connection to db1 closed: sh: 1: backup-runner: not found').kind,
      'runner-missing',
    );
    assert.equal(kind('spec-missing').action.command, 'backupYaml.validateOnHost');
    assert.equal(kind('restic-failed').kind, 'failed');
    assert.deepEqual(noSnapshotsState(host, 'local').action, {
      title: 'Run now',
      command: 'backupYaml.runNow',
      arguments: [host.id],
    });
  });
});

describe('what a restore reports', () => {
  test('files, bytes, how many were verified; the database kept aside', () => {
    const record = {
      type: 'restore' as const,
      target: 'local',
      snapshotId: '1a2b3c4d'.repeat(8),
      status: 'ok' as const,
      to: '/var/lib/t.db',
      sources: ['db'],
      files: 1,
      bytes: 4096,
      verifiedFiles: 1,
      removed: [],
      keptAside: ['/var/lib/t.db.before-restore-20261203T170000Z'],
      warnings: [],
      durationMs: 5,
    };
    assert.equal(
      restoreSummary('db in place', record),
      'restored db in place of 1a2b3c4d to /var/lib/t.db: 1 file, 4.0 KiB, 1 of 1 verified against the manifest; the replaced database is kept as /var/lib/t.db.before-restore-20261203T170000Z',
    );
    assert.equal(
      scratchDirectory({ snapshot: { shortId: '1a2b3c4d' } }, new Date('2026-12-03T17:04:05.123Z')),
      '/tmp/backup-yaml-restore/1a2b3c4d-20261203-170405',
    );
  });
});
