import { resolveSecret } from '../secrets';
import type { Notify } from '../spec/types';

export type PingKind = 'start' | 'success' | 'fail';

/**
 * healthchecks.io-style pings: `<url>/start`, `<url>` and `<url>/fail` with the log tail as the
 * body. Monitoring being down must never fail a backup, so a failed ping is a warning.
 */
export async function ping(
  notify: Notify | undefined,
  kind: PingKind,
  body = '',
): Promise<string | undefined> {
  if (!notify?.healthchecks) return undefined;
  const url = await resolveSecret({ value: notify.healthchecks }, 'notify.healthchecks');
  if (!url.ok) return url.error.message;
  if (!url.value) return undefined;
  const base = url.value.replace(/\/+$/, '');
  const target = kind === 'success' ? base : `${base}/${kind}`;
  try {
    const response = await fetch(target, {
      method: 'POST',
      body: body.slice(-10_000),
      signal: AbortSignal.timeout(10_000),
    });
    // The URL is a secret (anyone who has it can ping): never print it.
    return response.ok
      ? undefined
      : `the healthchecks ${kind} ping was answered with HTTP ${response.status}`;
  } catch (error) {
    return `the healthchecks ${kind} ping failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}
