import type { RunConfig } from '../config';
import { resolveConfig } from '../config';
import { encodeRecord } from '../protocol';
import { withdrawSecretsFromEnvironment } from '../secrets';
import { validateSpec } from '../spec/index';
import { formatDiagnostic } from './format';
import { readSpecFile } from './read-spec-file';
import type { CommandIO } from './io';

export type LoadedConfig = { ok: true; config: RunConfig } | { ok: false; exitCode: number };

/**
 * Reads and validates the spec a command runs (`-c FILE`, default ./backup.yaml). Errors stop
 * the command with exit 2 and the same diagnostics `validate` prints; warnings are shown.
 */
export async function loadConfig(
  path: string,
  json: boolean,
  io: CommandIO,
): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readSpecFile(path);
  } catch (error) {
    const message = `cannot read the spec ${path}: ${error instanceof Error ? error.message : String(error)}`;
    if (json)
      io.out(
        encodeRecord({
          type: 'error',
          error: { code: 'spec-unreadable', message, hint: 'give the spec with -c FILE' },
        }),
      );
    else io.err(`backup-runner: ${message} (give it with -c FILE)`);
    return { ok: false, exitCode: 2 };
  }
  const { spec, diagnostics } = validateSpec(text);
  if (!spec) {
    const message = `${path} is not a valid backup.yaml`;
    if (json)
      io.out(
        encodeRecord({ type: 'error', error: { code: 'spec-invalid', message }, diagnostics }),
      );
    else {
      for (const diagnostic of diagnostics) io.err(formatDiagnostic(path, diagnostic));
      io.err(`backup-runner: ${message}; nothing was run`);
    }
    return { ok: false, exitCode: 2 };
  }
  if (!json) for (const diagnostic of diagnostics) io.err(formatDiagnostic(path, diagnostic));
  const config = resolveConfig(spec, path);
  // Before any command starts a child (even `restic version`): none may inherit a secret.
  withdrawSecretsFromEnvironment(config.secretEnv);
  return { ok: true, config };
}
