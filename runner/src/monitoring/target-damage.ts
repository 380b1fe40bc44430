import type { RunConfig } from '../config';
import type { BackupState } from './state';

export interface Damage {
  /** Why, for messages: "its last check failed (<when>)". */
  why: string;
  /**
   * The check that clears it must read all the data: a drill found data it could not restore,
   * which a check of the structure alone does not see.
   */
  readData: boolean;
}

/**
 * Targets whose repository is known to be damaged: the last `restic check` failed, or the last
 * restore drill of the target failed and no check reading all the data has passed since. They
 * get no retention (it could forget the last snapshot that still restores) and a check on
 * every run, until one passes.
 */
export function damagedTargets(
  config: RunConfig,
  state: BackupState | undefined,
): Map<string, Damage> {
  const damaged = new Map<string, Damage>();
  for (const target of config.targets) {
    const check = state?.lastCheck?.[target.name];
    const verify = state?.lastVerify?.target === target.name ? state.lastVerify : undefined;
    if (check?.status === 'failed') {
      damaged.set(target.name, { why: `its last check failed (${check.at})`, readData: false });
      continue;
    }
    const checkedSince =
      check?.status === 'ok' && check.readAllData === true && verify && check.at > verify.at;
    if (verify?.status === 'failed' && verifyFailedOnData(verify.error?.code) && !checkedSince)
      damaged.set(target.name, {
        why: `its last restore drill failed (${verify.at})`,
        readData: true,
      });
  }
  return damaged;
}

/**
 * A drill that could not start (no verify server, a missing tool, a cancel, a held lock) says
 * nothing about the repository; one that restored wrong data or none does.
 */
const NOT_ABOUT_THE_DATA = new Set([
  'cancelled',
  'restic-missing',
  'restic-locked',
  'restic-timeout',
  'secret-unavailable',
  'verify-mysql-auth',
  'verify-mysql-unreachable',
  'verify-mysql-privileges',
  'mysql-client-missing',
  'verify-postgres-auth',
  'verify-postgres-unreachable',
  'verify-postgres-privileges',
  'postgres-client-missing',
  'postgres-pgpass-failed',
  'snapshot-not-found',
  'no-target',
  'unknown-target',
]);

function verifyFailedOnData(code: string | undefined): boolean {
  return code === undefined || !NOT_ABOUT_THE_DATA.has(code);
}
