import type { ResolvedTarget } from '../config';
import type { Result } from '../result';
import { ok } from '../result';
import { describeSecret, resolveSecret } from '../secrets';

/** How to start restic for one target: environment, and a secret to hand over on fd 3. */
export interface ResticInvocation {
  target: string;
  env: Record<string, string>;
  /** Global flags for every command of this target: `-o key=value`, `--compression`. */
  globalArgs: string[];
  /**
   * A repository password the runner read itself (not a password_file): each restic call gets it
   * through a private FIFO named in RESTIC_PASSWORD_FILE, so it is in no argv and no environment.
   */
  password?: string;
  /** The environment as the plan shows it: secret values replaced by where they come from. */
  shownEnv: string[];
  /** How long a live repository lock is waited for before the call fails (lock_wait). */
  lockWaitMs: number;
  /** Bounds on each call: quick ones that open the repository, and those that move data. */
  timeouts: { connectMs: number; operationMs: number };
}

/**
 * The repository location goes in RESTIC_REPOSITORY (a rest: URL may hold credentials, so never
 * argv). A password_file is passed as is; any other password is read here and handed over
 * through a FIFO, so it is in no argv and no environment. Backend credentials (AWS_*, B2_*) can only be environment
 * variables for restic; they are read from their references when needed.
 */
export async function resticInvocation(
  resolved: ResolvedTarget,
  withSecrets: boolean,
): Promise<Result<ResticInvocation>> {
  const { target, name } = resolved;
  const env: Record<string, string> = { RESTIC_REPOSITORY: target.repository };
  const shownEnv = [`RESTIC_REPOSITORY=${redactUrl(target.repository)}`];
  const invocation: ResticInvocation = {
    target: name,
    env,
    globalArgs: targetOptions(resolved),
    shownEnv,
    lockWaitMs: resolved.lockWaitMs,
    timeouts: resolved.timeouts,
  };
  if (target.password_file) {
    if (withSecrets) {
      // restic's own message for this is a generic fatal error; say which file and why.
      const readable = await resolveSecret(
        { file: target.password_file },
        `the password file of target "${name}"`,
      );
      if (!readable.ok) return readable;
    }
    env['RESTIC_PASSWORD_FILE'] = target.password_file;
    shownEnv.push(`RESTIC_PASSWORD_FILE=${target.password_file}`);
  } else if (target.password !== undefined || target.password_command) {
    shownEnv.push(
      `RESTIC_PASSWORD_FILE=<private FIFO: password from ${describeSecret(target.password, target.password_command)}>`,
    );
    if (withSecrets) {
      const password = await resolveSecret(
        { value: target.password, command: target.password_command },
        `the password of target "${name}"`,
      );
      if (!password.ok) return password;
      invocation.password = password.value ?? '';
    }
  }
  for (const [variable, value] of Object.entries(target.env ?? {})) {
    shownEnv.push(`${variable}=<redacted: ${describeSecret(value)}>`);
    if (!withSecrets) continue;
    const secret = await resolveSecret({ value }, `${variable} of target "${name}"`);
    if (!secret.ok) return secret;
    env[variable] = secret.value ?? '';
  }
  const withCredentials = restCredentialsUrl(target.repository, env);
  if (withCredentials) env['RESTIC_REPOSITORY'] = withCredentials;
  return ok(invocation);
}

/**
 * restic before 0.16 ignores RESTIC_REST_USERNAME/RESTIC_REST_PASSWORD and takes REST
 * credentials only inside the URL. So when a target gives both, they go into the URL, which
 * travels in RESTIC_REPOSITORY (environment, never argv). Newer restic accepts the same URL.
 */
function restCredentialsUrl(repository: string, env: Record<string, string>): string | undefined {
  const user = env['RESTIC_REST_USERNAME'];
  const password = env['RESTIC_REST_PASSWORD'];
  const match = /^rest:(https?:\/\/)([^@/]*@)?(.*)$/.exec(repository);
  if (!match || user === undefined || password === undefined) return undefined;
  return `rest:${match[1]}${encodeURIComponent(user)}:${encodeURIComponent(password)}@${match[3]}`;
}

/** `rest:https://user:pass@host/` → `rest:https://user:<redacted>@host/`. */
export function redactUrl(repository: string): string {
  return repository.replace(/(\/\/[^/:@\s]*:)[^/@\s]*@/, '$1<redacted>@');
}

/** Extended options (`-o key=value`) and compression, common to every command of a target. */
function targetOptions(resolved: ResolvedTarget): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(resolved.target.options ?? {}))
    args.push('-o', `${key}=${String(value)}`);
  if (resolved.target.compression) args.push('--compression', resolved.target.compression);
  return args;
}
