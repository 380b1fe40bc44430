import { readFile, writeFile } from 'node:fs/promises';
import { stringify } from 'yaml';
import { runCli } from '../../support/runner-cli';
import type { Fault } from '../support/fault';
import { snapshotsOf } from '../support/survival';
import type { World } from '../support/world';

/**
 * Hostile specs against a live stack: each is refused (exit 2) or fails safely before it
 * touches anything: no new snapshot, no lock left, and a canary file a shell would delete
 * stays where it is.
 */
export function hostileSpecs(worldName: string): Fault {
  return {
    name: 'hostile specs',
    world: worldName,
    inject: async (world: World) => {
      const canary = world.work.path('canary');
      await writeFile(canary, 'still here\n');
      const base = await readFile(world.spec, 'utf8');
      const write = async (name: string, text: string) => {
        const path = world.work.path(`hostile-${name}.yaml`);
        await writeFile(path, text);
        return path;
      };
      const bomb = ['version: 1', 'a: &a [x, x, x, x, x, x, x, x, x, x]']
        .concat(
          ['b', 'c', 'd', 'e', 'f'].map(
            (key, i) => `${key}: &${key} [${Array(10).fill(`*${'abcde'[i]}`).join(', ')}]`,
          ),
        )
        .join('\n');
      const shell = stringify({
        version: 1,
        sources: { x: { type: 'files', paths: [canary] } },
        staging: { dir: world.work.path('hostile-staging') },
        targets: {
          t: { repository: `${world.work.path('repo')}; rm -f ${canary}`, password_file: canary },
        },
      });
      const cases: [string, string, number][] = [
        ['/dev/urandom', '/dev/urandom', 2],
        ['alias bomb', await write('bomb', `${bomb}\n`), 2],
        ['10 MB', await write('huge', `${base}\n# ${'x'.repeat(10 * 1024 * 1024)}\n`), 2],
        [
          'source "../../etc"',
          await write('traversal', base.replace('\n  config:', '\n  ../../etc:')),
          2,
        ],
        [
          'source "manifest.json"',
          await write('reserved', base.replace('\n  config:', '\n  manifest.json:')),
          2,
        ],
        ['"; rm -f" in a repository', await write('shell', shell), 1],
      ];
      const before = JSON.stringify([...(await snapshotsOf(world)).entries()]);
      const outcomes: string[] = [];
      const wrong: string[] = [];
      for (const [label, path, expected] of cases) {
        const result = await runCli(['run', '-c', path, '--json']);
        outcomes.push(`${label} → ${result.exitCode}`);
        if (result.exitCode !== expected)
          wrong.push(`${label}: exit ${result.exitCode}, wanted ${expected}`);
      }
      if (JSON.stringify([...(await snapshotsOf(world)).entries()]) !== before)
        wrong.push('the snapshots changed');
      if ((await readFile(canary, 'utf8').catch(() => '')) !== 'still here\n')
        wrong.push('the canary file is gone');
      return {
        what: `exit ${outcomes.join(', ')}; nothing touched`,
        ...(wrong.length > 0 ? { wrong: wrong.join('; ') } : {}),
      };
    },
  };
}
