import type { ClientError } from './errors';
import type { Host } from './hosts';

/** The explicit states the Backups tree shows instead of children, each with what to do. */
export type TreeStateKind =
  | 'no-repository'
  | 'wrong-password'
  | 'unreachable'
  | 'locked'
  | 'runner-missing'
  | 'no-snapshots'
  | 'spec-problem'
  | 'failed';

export interface TreeState {
  kind: TreeStateKind;
  label: string;
  /** The runner's or ssh's own words, and what to do. */
  detail: string;
  action: { title: string; command: string; arguments: unknown[] };
}

const UNREACHABLE = new Set<ClientError['code']>([
  'unreachable',
  'host-key-unknown',
  'host-key-changed',
  'auth-refused',
  'password-prompt',
  'unknown-host-name',
  'ssh-failed',
  'ssh-missing',
  'connection-lost',
]);
const RUNNER_MISSING = new Set<ClientError['code']>([
  'no-runner',
  'other-arch',
  'protocol-mismatch',
  'restic-missing',
  'restic-too-old',
  'upload-failed',
  'sudo-password',
]);

/** A shell that cannot start the configured runner command says so on stderr (exit 127). */
const COMMAND_NOT_FOUND = /command not found|not found$|No such file or directory/;

/** The state an error of a host or target puts its tree node in. */
export function treeStateOf(error: ClientError, host: Host, target?: string): TreeState {
  const detail = `${error.message}${error.hint ? ` — ${error.hint}` : ''} [${error.code}]`;
  const retry = { title: 'Retry', command: 'backupYaml.refreshBackups', arguments: [host.id] };
  const code = error.code;
  if (code === 'restic-no-repository')
    return {
      kind: 'no-repository',
      label: `No repository at target "${target ?? error.subject ?? ''}" — Init`,
      detail,
      action: { title: 'Init', command: 'backupYaml.initRepository', arguments: [host.id, target] },
    };
  if (code === 'restic-wrong-password')
    return { kind: 'wrong-password', label: 'Wrong repository password', detail, action: retry };
  if (code === 'restic-locked' || code === 'locked')
    return { kind: 'locked', label: lockedLabel(error.message), detail, action: retry };
  if (RUNNER_MISSING.has(code) || (UNREACHABLE.has(code) && COMMAND_NOT_FOUND.test(error.message)))
    return { kind: 'runner-missing', label: 'Runner missing on the host', detail, action: retry };
  if (UNREACHABLE.has(code))
    return { kind: 'unreachable', label: `${host.label} is unreachable`, detail, action: retry };
  if (code === 'spec-missing' || code === 'spec-invalid' || code === 'spec-unreadable')
    return {
      kind: 'spec-problem',
      label: error.message,
      detail,
      action: {
        title: 'Validate on host',
        command: 'backupYaml.validateOnHost',
        arguments: [host.id],
      },
    };
  return { kind: 'failed', label: error.message, detail, action: retry };
}

export function noSnapshotsState(host: Host, target: string): TreeState {
  return {
    kind: 'no-snapshots',
    label: 'No snapshots yet — Run now',
    detail: `target "${target}" has no snapshot of ${host.spec} yet`,
    action: { title: 'Run now', command: 'backupYaml.runNow', arguments: [host.id] },
  };
}

/**
 * "Repository locked by root@db1 (PID 4242) since 2026-12-03 17:02:11" from restic's "locked
 * (exclusively) by PID 4242 on db1 by root (UID 0, GID 0) lock was created at 2026-12-03
 * 17:02:11 (3m ago)", or the runner's own "another run (…, PID …, started …) holds …".
 */
export function lockedLabel(message: string): string {
  const restic = /by PID (\d+) on (\S+) by (\S+).*?created at ([\d-]+ [\d:]+)/s.exec(message);
  if (restic)
    return `Repository locked by ${restic[3]}@${restic[2]} (PID ${restic[1]}) since ${restic[4]}`;
  const runner = /PID (\d+) on (\S+), started ([^)]+)\)/.exec(message);
  if (runner) return `Locked by a run on ${runner[2]} (PID ${runner[1]}) since ${runner[3]}`;
  return 'Repository locked';
}
