import type { World } from './world';

/** What a fault did: a few words for the table, and what was not as it must be. */
export interface Effect {
  what: string;
  /** Set when the fault was not handled as it must be (a wrong exit status or error code). */
  wrong?: string;
  /** The kill did not land in the step it was meant for (the step was over): try again. */
  missed?: boolean;
}

/** The effect of a run that must end with `exitCode` and (when given) this error code. */
export function expectRun(
  result: { exitCode: number; records: { type: string }[] },
  exitCode: number,
  code?: string,
): Effect {
  const finished = result.records.find((r) => r.type === 'run-finished') as
    { error?: { code: string; message: string; subject?: string } } | undefined;
  const error = finished?.error;
  const what = `run exit ${result.exitCode}${error ? `, ${error.code}${error.subject ? ` (${error.subject})` : ''}` : ''}`;
  const ok = result.exitCode === exitCode && (code === undefined || error?.code === code);
  return ok
    ? { what }
    : { what, wrong: `wanted exit ${exitCode}${code ? ` ${code}` : ''}: ${error?.message ?? ''}` };
}

/** One fault of the matrix: how it is caused, and what must run again afterwards. */
export interface Fault {
  /** The fault class and case, as the table names it: "kill -9 runner in backup". */
  name: string;
  /** Which world it hits (faults of one world run one after the other). */
  world: string;
  /**
   * Causes the fault and returns what happened, in a few words ("exit 137 in backup:local,
   * restic was writing"). Ends with the environment as it was (a disk freed, a server resumed,
   * a source put back): what goes away by itself, never a repair of the backup.
   */
  inject(world: World): Promise<Effect>;
  /** Commands besides `run` that must work again with no manual step (check, verify, restore). */
  again?: (world: World) => { command: string[]; label: string }[];
}
