import type { DiagnosticReporter } from '../reporter';
import { asRecord, namedEntries } from './read';

/**
 * Names the staging layout itself uses inside a run directory: a source of that name would be
 * overwritten by (or overwrite) the runner's own file, and every run would fail.
 */
export const RESERVED_SOURCE_NAMES = ['manifest.json'] as const;

export function checkReservedNames(
  root: Record<string, unknown>,
  reporter: DiagnosticReporter,
): void {
  for (const name of Object.keys(asRecord(root['sources']) ?? {})) {
    if (!(RESERVED_SOURCE_NAMES as readonly string[]).includes(name)) continue;
    reporter.atKey(
      ['sources', name],
      'reserved-name',
      `"${name}" is the name of the file every run writes next to its sources; give the source another name`,
    );
  }
}

/** A command whose program is "" cannot be started; say so here, not after the app was stopped. */
export function checkCommands(root: Record<string, unknown>, reporter: DiagnosticReporter): void {
  const hooks = asRecord(root['hooks']);
  for (const phase of ['before', 'after', 'on_failure']) {
    const list = hooks?.[phase];
    if (!Array.isArray(list)) continue;
    list.forEach((hook: unknown, index: number) => {
      const command = Array.isArray(hook) ? hook : asRecord(hook)?.['command'];
      const path = Array.isArray(hook)
        ? ['hooks', phase, index, 0]
        : ['hooks', phase, index, 'command', 0];
      checkProgram(command, path, `hooks.${phase}[${index}]`, reporter);
    });
  }
  const holders: [string[], Record<string, unknown>][] = [
    ...namedEntries(root, 'sources').map(([n, r]): [string[], Record<string, unknown>] => [
      ['sources', n],
      r,
    ]),
    ...namedEntries(root, 'targets').map(([n, r]): [string[], Record<string, unknown>] => [
      ['targets', n],
      r,
    ]),
  ];
  for (const [path, record] of holders)
    checkProgram(
      record['password_command'],
      [...path, 'password_command', 0],
      path.join('.'),
      reporter,
    );
}

function checkProgram(
  command: unknown,
  path: (string | number)[],
  label: string,
  reporter: DiagnosticReporter,
): void {
  if (!Array.isArray(command) || command[0] !== '') return;
  reporter.atValue(
    path,
    'invalid-value',
    `the program of ${label} is empty: the first item of a command names the program to run`,
  );
}
