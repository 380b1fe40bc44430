import { withdrawnSecretNames } from '../secrets';

/**
 * The environment every child starts with: the runner's own, without any variable the spec
 * reads a secret from (`{ env: NAME }`), plus what the caller adds. Children never inherit the
 * runner's environment implicitly, so a secret cannot slip through a call made before the
 * secrets were withdrawn.
 */
export function childEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const hidden = withdrawnSecretNames();
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !hidden.has(name)) env[name] = value;
  return { ...env, ...extra };
}
