import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { runCli } from '../../support/runner-cli';
import type { Fault } from '../support/fault';
import { expectRun } from '../support/fault';
import type { World } from '../support/world';
import { keepCopy } from '../support/world';

/** A source that comes up empty, or far smaller than before, under keep_last retention. */
export function badSources(worldName: string): Fault[] {
  const sqlite = (world: World) => world.work.path('tracker.db');
  return [
    {
      name: 'empty source: SQLite truncated to 0 bytes',
      world: worldName,
      inject: async (world) => {
        const restore = await keepCopy(sqlite(world));
        try {
          await writeFile(sqlite(world), '');
          return expectRun(await runCli(['run', '-c', world.spec, '--json']), 1, 'source-empty');
        } finally {
          await restore();
        }
      },
    },
    {
      name: 'empty source: files glob matches nothing',
      world: worldName,
      inject: async (world) => {
        const spec = await world.variant(
          { sources: { config: { type: 'files', paths: [world.work.path('app', '*.nothing')] } } },
          'empty-glob',
        );
        return expectRun(await runCli(['run', '-c', spec, '--json']), 1, 'source-empty');
      },
    },
    {
      name: 'shrunken source: SQLite down to 1% of its rows',
      world: worldName,
      inject: async (world) => {
        const restore = await keepCopy(sqlite(world));
        try {
          await execa('sqlite3', [
            sqlite(world),
            'DELETE FROM torrents WHERE id % 100 != 0; VACUUM;',
          ]);
          return expectRun(await runCli(['run', '-c', world.spec, '--json']), 3, 'source-shrunk');
        } finally {
          await restore();
        }
      },
    },
  ];
}
