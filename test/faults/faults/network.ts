import { runCli } from '../../support/runner-cli';
import type { Fault } from '../support/fault';
import { expectRun } from '../support/fault';
import type { World } from '../support/world';

/**
 * A repository host that accepts connections and never answers: the real sshd or rclone server,
 * stopped with SIGSTOP (the kernel still completes the TCP handshake), resumed afterwards.
 */
export function blackHoles(worldName: string, servers: { sftp: number; rest: number }): Fault[] {
  return (['sftp', 'rest'] as const).map((kind) => ({
    name: `black-hole ${kind} repository`,
    world: worldName,
    inject: async (world: World) => {
      const pid = servers[kind];
      process.kill(pid, 'SIGSTOP');
      try {
        await world.change();
        return expectRun(await runCli(['run', '-c', world.spec, '--json']), 1, 'restic-timeout');
      } finally {
        process.kill(pid, 'SIGCONT');
      }
    },
  }));
}
