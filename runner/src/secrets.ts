import { readFile } from 'node:fs/promises';
import { runChild } from './process/start-child';
import type { Result } from './result';
import { errorMessage, fail, ok } from './result';
import type { Argv, Secret, Spec } from './spec/types';

/** Where a secret comes from, as the spec can say it: `password`, `password_file`, `password_command`. */
export interface SecretSources {
  value?: Secret | undefined;
  file?: string | undefined;
  command?: Argv | undefined;
}

/** Secrets taken out of process.env so that no child process inherits them. */
const withdrawn = new Map<string, string>();
/** Every variable named as a secret, set or not: never passed to a child. */
const secretNames = new Set<string>();

/**
 * Removes the named variables from process.env, which every child (restic, the dump tools,
 * hooks) inherits, while resolveSecret can still read them. Call it before starting children.
 */
export function withdrawSecretsFromEnvironment(names: Iterable<string>): void {
  for (const name of names) {
    secretNames.add(name);
    const value = process.env[name];
    if (value === undefined) continue;
    withdrawn.set(name, value);
    delete process.env[name];
  }
}

/** The variables withdrawn as secrets (process/child-environment.ts leaves them out). */
export function withdrawnSecretNames(): ReadonlySet<string> {
  return secretNames;
}

/**
 * The variables withdrawn so far, for a child that must see the environment this process was
 * started with (serve's children each withdraw them again for their own children).
 */
export function withdrawnSecrets(): Record<string, string> {
  return Object.fromEntries(withdrawn);
}

/** Every `{ env: NAME }` a spec uses for a secret. */
export function secretEnvironmentNames(spec: Spec): string[] {
  const names = new Set<string>();
  const add = (secret: Secret | undefined) => {
    if (secret && typeof secret === 'object' && secret.env) names.add(secret.env);
  };
  for (const source of Object.values(spec.sources))
    if (source.type === 'mysql') add(source.password);
  for (const target of Object.values(spec.targets ?? {})) {
    add(target.password);
    for (const value of Object.values(target.env ?? {})) add(value);
  }
  add(spec.notify?.healthchecks);
  add(spec.verify?.mysql?.password);
  return [...names];
}

/**
 * Reads a secret when it is needed. The value lives only in memory and is handed to children
 * through a file descriptor or a *_FILE/*_COMMAND variable; it never goes into argv, logs or events.
 * Resolves to undefined when no source is given (e.g. a MySQL user without a password).
 */
export async function resolveSecret(
  sources: SecretSources,
  what: string,
): Promise<Result<string | undefined>> {
  const { value, file, command } = sources;
  if (typeof value === 'string') return ok(value);
  const ref = value ?? {};
  if (file ?? ref.file) return readSecretFile((file ?? ref.file) as string, what);
  if (command ?? ref.command) return runSecretCommand((command ?? ref.command) as Argv, what);
  if (ref.env !== undefined) {
    const fromEnv = withdrawn.get(ref.env) ?? process.env[ref.env];
    if (fromEnv === undefined)
      return fail('secret-unavailable', `${what}: environment variable ${ref.env} is not set`);
    return ok(fromEnv);
  }
  return ok(undefined);
}

async function readSecretFile(path: string, what: string): Promise<Result<string>> {
  try {
    const text = await readFile(path, 'utf8');
    return ok(firstLine(text));
  } catch (error) {
    return fail('secret-unavailable', `${what}: cannot read ${path}: ${errorMessage(error)}`);
  }
}

async function runSecretCommand(argv: Argv, what: string): Promise<Result<string>> {
  const [program, ...args] = argv;
  const result = await runChild(program, args, { timeoutMs: 60_000, maxStdout: 64 * 1024 });
  if (result.exitCode !== 0) {
    // stderr may echo part of the secret in odd tools; only the program name and status are shown.
    return fail(
      'secret-unavailable',
      `${what}: ${program} ${result.timedOut ? 'did not finish within 60 s' : `exited with ${result.exitCode ?? result.signal ?? result.spawnError ?? 'an error'}`}`,
    );
  }
  return ok(firstLine(result.stdout));
}

function firstLine(text: string): string {
  return text.split(/\r?\n/)[0] ?? '';
}

/** Where a secret comes from, for plan output and logs: never the secret itself. */
export function describeSecret(value: Secret | undefined, command?: string[]): string {
  if (command) return `command ${command[0]}`;
  if (value === undefined) return 'none';
  if (typeof value === 'string') return 'literal in the spec';
  if (value.env) return `env ${value.env}`;
  if (value.file) return `file ${value.file}`;
  if (value.command) return `command ${value.command[0]}`;
  return 'none';
}
