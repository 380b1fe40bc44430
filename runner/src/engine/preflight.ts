import { chmod, statfs } from 'node:fs/promises';
import type { RunConfig } from '../config';
import type { BackupState } from '../monitoring/state';
import { resticInvocation } from '../restic/invocation';
import { resticRepositoryExists } from '../restic/operations';
import type { Result } from '../result';
import { errorMessage, fail, ok } from '../result';
import { resolveSecret } from '../secrets';
import { moduleFor, passwordSourcesOf } from '../sources/registry';
import { hasSourceSecrets, stepIds } from './plan';
import type { RunContext } from './run-context';

/**
 * Everything a run checks before hooks.before may stop the application: each target's secrets
 * and repository, every source's secrets, and room in staging for this run.
 */
export async function preflight(context: RunContext): Promise<Result<void>> {
  const targets = await preflightTargets(context);
  if (!targets.ok) return targets;
  const local = await context.reporter.step(
    stepIds.preflightLocal,
    async () => {
      const secrets = await readSourceSecrets(context);
      return secrets.ok ? checkStagingRoom(context) : secrets;
    },
    (room) => ({ ...room }),
  );
  return local.ok ? ok(undefined) : local;
}

/**
 * Each target's secrets, then its repository exists and opens: a missing repository or a wrong
 * password would otherwise only show after all the work.
 */
async function preflightTargets(context: RunContext): Promise<Result<void>> {
  const { config, reporter, signal } = context;
  for (const target of config.targets) {
    const checked = await reporter.step(stepIds.preflight(target.name), async (step) => {
      const invocation = await resticInvocation(target, true);
      if (!invocation.ok)
        return { ok: false, error: { ...invocation.error, subject: target.name } };
      context.invocations.set(target.name, invocation.value);
      const exists = await resticRepositoryExists(invocation.value, {
        signal,
        onLockWait: step.log,
      });
      if (!exists.ok) return exists;
      return exists.value
        ? ok(undefined)
        : fail('restic-no-repository', `there is no restic repository at target "${target.name}"`, {
            subject: target.name,
            hint: 'create it with `backup-runner init`',
          });
    });
    if (!checked.ok) return checked;
  }
  return ok(undefined);
}

/** The database passwords, read now: a password_command may need the service hooks.before stops. */
async function readSourceSecrets(context: RunContext): Promise<Result<void>> {
  if (!hasSourceSecrets(context.config)) return ok(undefined);
  for (const { name, source } of context.config.sources) {
    const sources = passwordSourcesOf(source);
    if (sources === undefined) continue;
    const password = await resolveSecret(sources, `${source.type} source "${name}" password`);
    if (!password.ok) return { ok: false, error: { ...password.error, subject: name } };
    context.sourcePasswords.set(name, password.value);
  }
  return ok(undefined);
}

/**
 * Staging holds the previous run (`current/`) while this one is written beside it, so the file
 * system needs free room for one more full copy. The size of this run is estimated from the
 * last success (per source) and, for SQLite, the database file as it is now.
 */
async function checkStagingRoom(
  context: RunContext,
): Promise<Result<{ neededBytes: number; freeBytes: number }>> {
  const { layout, config } = context;
  try {
    // Only the backup user may enter staging, whatever the umask was when it was created.
    await chmod(layout.root, 0o700);
    const needed = await estimateRunBytes(config, context.state);
    const fs = await statfs(layout.root);
    const free = fs.bavail * fs.bsize;
    const withMargin = Math.ceil(needed * 1.01) + 1024 * 1024;
    if (free < withMargin)
      return fail(
        'staging-no-room',
        `staging ${layout.root} has ${mib(free)} free; this run needs about ${mib(withMargin)} next to the previous run in current/`,
        {
          hint: 'free space there, or move staging.dir: it needs room for two full copies (current/ and the run being written), plus keep_runs earlier runs',
        },
      );
    return ok({ neededBytes: withMargin, freeBytes: free });
  } catch (error) {
    return fail('staging-io', `cannot check staging ${layout.root}: ${errorMessage(error)}`);
  }
}

export async function estimateRunBytes(
  config: RunConfig,
  state: BackupState | undefined,
): Promise<number> {
  let total = 0;
  for (const { name, source } of config.sources) {
    const last = state?.lastSuccess?.sources[name]?.bytes ?? 0;
    const now = (await moduleFor(source).sizeNow?.(source)) ?? 0;
    total += Math.max(last, now);
  }
  return total;
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
