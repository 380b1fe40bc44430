import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveConfig } from '../config';
import { createDemoStack, simulateActivity } from '../demo/demo-stack';
import { demoSpec } from '../demo/demo-spec';
import { runBackup } from '../engine/run';
import { encodeRecord } from '../protocol';
import type { RunEvent } from '../protocol';
import { initArgs } from '../restic/commands';
import { resticInvocation } from '../restic/invocation';
import { resticPlain, resticRepositoryExists } from '../restic/operations';
import { validateSpec } from '../spec/index';
import type { Command } from './command';
import { JSON_OPTION } from './command';
import { formatBytes, humanLog } from '../human-log';
import { VERSION } from './version';

export const demoCommand: Command = {
  name: 'demo',
  summary:
    'back up a demo Torrust-like stack (SQLite + config files) into a local restic repository',
  usage: `Usage: backup-runner demo [--dir DIR] [--json]

Creates, the first time, a demo stack under DIR (default ./backup-yaml-demo): a tracker SQLite
database in WAL mode, config files, a restic password, a local restic repository and the spec
DIR/backup.yaml. Each time, it simulates a day of tracker activity (about 1% of the rows change)
and runs a backup, so a second run shows what deduplication stores.`,
  options: { ...JSON_OPTION, dir: { type: 'string' } },
  positionals: false,
  async run(values, _positionals, io) {
    const json = values['json'] === true;
    const dir = resolve(typeof values['dir'] === 'string' ? values['dir'] : 'backup-yaml-demo');
    const specPath = join(dir, 'backup.yaml');
    const firstTime = !existsSync(specPath);
    await createDemoStack(dir);
    if (firstTime) await writeFile(specPath, demoSpec(dir));
    const { spec, diagnostics } = validateSpec(demoSpec(dir));
    if (!spec) {
      io.err(
        `backup-runner demo: the embedded spec does not validate (a bug): ${diagnostics.map((d) => d.message).join('; ')}`,
      );
      return 70;
    }
    const config = resolveConfig(spec, specPath);
    const signal = new AbortController().signal;
    for (const target of config.targets) {
      const invocation = await resticInvocation(target, true);
      if (!invocation.ok) {
        io.err(`backup-runner demo: ${invocation.error.message}`);
        return 1;
      }
      const exists = await resticRepositoryExists(invocation.value, { signal });
      if (exists.ok && !exists.value) {
        const created = await resticPlain(invocation.value, initArgs(), { signal });
        if (!created.ok) {
          io.err(
            `backup-runner demo: cannot create the restic repository: ${created.error.message}`,
          );
          return 1;
        }
        if (!json) io.out(`created the restic repository ${target.target.repository}`);
      }
    }
    if (!firstTime) {
      const activity = simulateActivity(dir);
      if (!json)
        io.out(
          `simulated a day of tracker activity: ${activity.updated} torrents updated, ${activity.inserted} added`,
        );
    }
    const sink = json
      ? (event: RunEvent) => io.out(encodeRecord(event))
      : humanLog(io, process.stderr.isTTY ? process.stderr : undefined);
    const outcome = await runBackup(config, { runnerVersion: VERSION, sinks: [sink], signal });
    if (!json && outcome.status === 'ok') {
      const added = outcome.snapshots.reduce((sum, s) => sum + s.dataAdded, 0);
      const processed = outcome.snapshots.reduce((sum, s) => sum + s.totalBytesProcessed, 0);
      io.out(`
The demo stack is in ${dir}:
  app/          the "application": a SQLite database in WAL mode and config files
  backup.yaml   the spec this run used
  staging/      current/ is what restic received; archives/ holds the tar.zst of each run
  restic-repo/  the repository (password in secrets/restic.pw)

This run staged ${formatBytes(processed)}; ${formatBytes(added)} of it was new to restic after
deduplication (restic then compresses what it stores). Run the demo again: it changes about 1% of the rows first. New torrents land on
random pages of the info-hash index, so much of the database file changes; bench/ measures how
much each layout stores. Or try:
  npx backup-runner plan -c ${specPath}
  npx backup-runner validate ${specPath}
  RESTIC_REPOSITORY=${join(dir, 'restic-repo')} RESTIC_PASSWORD_FILE=${join(dir, 'secrets/restic.pw')} restic snapshots`);
    }
    return outcome.exitCode;
  },
};
