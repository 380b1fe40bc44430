import { readdir } from 'node:fs/promises';
import { execa } from 'execa';
import type { CliResult } from '../../support/runner-cli';
import { lockFiles } from '../../support/restic-locks';
import { runCli } from '../../support/runner-cli';
import type { World } from './world';

/** Per target, the snapshot ids, oldest first. */
export type Snapshots = Map<string, string[]>;

export async function snapshotsOf(world: World): Promise<Snapshots> {
  const all: Snapshots = new Map();
  for (const target of world.targets) {
    const listed = await execa('restic', [...target.args, 'snapshots', '--json', '--no-lock'], {
      env: target.env,
      reject: false,
    });
    const parsed = JSON.parse(String(listed.stdout) || '[]') as { id: string; time: string }[];
    all.set(
      target.name,
      parsed.sort((a, b) => a.time.localeCompare(b.time)).map((s) => s.id),
    );
  }
  return all;
}

/**
 * The snapshots no run may lose: per target the newest keep_last - 1 of those there before the
 * fault (the next successful run keeps them besides its own; older ones retention may forget).
 */
function protectedIds(world: World, before: Snapshots): string[] {
  return [...before.values()].flatMap((ids) => ids.slice(-(world.keepLast - 1)));
}

export interface Survival {
  survived: boolean;
  lost: number;
  /** What went wrong, for the table (empty when it survived). */
  problems: string[];
}

/**
 * What must hold after any fault: nothing protected was lost by the fault; the next run succeeds
 * with no manual step; still nothing lost; the newest snapshot of each target restores and
 * passes its checks (verify); and no leftovers (partial runs, scratch copies, repository locks,
 * partial archives).
 */
export async function survive(
  world: World,
  before: Snapshots,
  also: { command: string[]; label: string }[] = [],
): Promise<Survival> {
  const problems: string[] = [];
  const ids = async () => [...(await snapshotsOf(world)).values()].flat();
  // Lost: one of the newest keep_last - 1 snapshots gone, across the fault and across the next
  // run (whose retention keeps keep_last, its own snapshot among them).
  const afterFault = await snapshotsOf(world);
  const lost = missingFrom(protectedIds(world, before), [...afterFault.values()].flat());
  for (const command of also) {
    const again = await runCli([...command.command, '-c', world.spec, '--json']);
    if (again.exitCode !== 0)
      problems.push(`${command.label} again: exit ${again.exitCode} ${errorOf(again)}`);
  }
  await world.change();
  const next = await runCli(['run', '-c', world.spec, '--json']);
  if (next.exitCode !== 0) problems.push(`next run: exit ${next.exitCode} ${errorOf(next)}`);
  lost.push(...missingFrom(protectedIds(world, afterFault), await ids()));
  if (lost.length > 0) problems.push(`lost ${[...new Set(lost)].join(', ')}`);
  for (const target of world.targets) {
    const drill = await runCli(['verify', '-c', world.spec, '--json', '--target', target.name]);
    if (drill.exitCode !== 0)
      problems.push(`verify ${target.name}: exit ${drill.exitCode} ${errorOf(drill)}`);
  }
  problems.push(...(await leftovers(world)));
  return { survived: problems.length === 0, lost: new Set(lost).size, problems };
}

function missingFrom(wanted: string[], present: string[]): string[] {
  return wanted.filter((id) => !present.includes(id));
}

async function leftovers(world: World): Promise<string[]> {
  const found: string[] = [];
  const staged = await readdir(world.staging).catch(() => [] as string[]);
  for (const name of staged)
    if (
      name.endsWith('.partial') ||
      name.startsWith('.backup-yaml-') ||
      name.endsWith('.tmp') ||
      name === 'backup-yaml.lock'
    )
      found.push(`left in staging: ${name}`);
  if (world.archiveDir)
    for (const name of await readdir(world.archiveDir).catch(() => [] as string[]))
      if (name.endsWith('.partial')) found.push(`left in archives: ${name}`);
  if (world.notifyDir)
    for (const name of await readdir(world.notifyDir).catch(() => [] as string[]))
      if (name.endsWith('.tmp')) found.push(`left beside the status file: ${name}`);
  for (const target of world.targets) {
    if (!target.dir) continue;
    const locks = await lockFiles(target.dir);
    if (locks.length > 0) found.push(`${locks.length} repository lock(s) left on ${target.name}`);
  }
  return found;
}

function errorOf(result: CliResult): string {
  for (const record of [...result.records].reverse()) {
    if ('error' in record && record.error && typeof record.error === 'object')
      return `${(record.error as { code: string }).code}: ${(record.error as { message: string }).message}`.slice(
        0,
        300,
      );
  }
  return result.stderr.trim().slice(-300);
}
