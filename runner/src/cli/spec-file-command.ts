import { randomBytes } from 'node:crypto';
import { chown, lstat, open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { encodeRecord } from '../protocol';
import type { RunnerError } from '../result';
import { errorMessage } from '../result';
import type { Diagnostic } from '../spec/index';
import type { Command } from './command';
import { CONFIG_OPTION, JSON_OPTION, configPath } from './command';
import type { CommandIO } from './io';
import { validationRecord } from './validate-command';

export const readSpecCommand: Command = {
  name: 'read-spec',
  summary: 'print the spec file as it is (for a diff before deploying a new one)',
  usage: `Usage: backup-runner read-spec [-c FILE] [--json]

Prints the spec file's text (or, with --json, a spec-file record with its text, mode and owner;
exists=false when there is none). Exit status: 0, also when it does not exist; 1 unreadable.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION },
  positionals: false,
  async run(values, _positionals, io) {
    const path = configPath(values);
    const json = values['json'] === true;
    try {
      const stat = await lstat(path);
      const text = await readFile(path, 'utf8');
      if (json)
        io.out(
          encodeRecord({
            type: 'spec-file',
            path,
            exists: true,
            text,
            mode: stat.mode & 0o7777,
            uid: stat.uid,
            gid: stat.gid,
          }),
        );
      else io.out(text.replace(/\n$/, ''));
      return 0;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (json) io.out(encodeRecord({ type: 'spec-file', path, exists: false }));
        else io.err(`backup-runner read-spec: ${path} does not exist`);
        return 0;
      }
      return failure(io, json, {
        code: 'spec-unreadable',
        message: `cannot read ${path}: ${errorMessage(error)}`,
      });
    }
  },
};

export const writeSpecCommand: Command = {
  name: 'write-spec',
  summary: 'replace the spec file with the one on stdin, atomically, after validating it',
  usage: `Usage: backup-runner write-spec [-c FILE] [--json] < new-backup.yaml

Validates the spec on stdin and, when it has no errors, writes it next to FILE under a temporary
name (mode 0600, the existing file's owner and group kept), flushes it and renames it over FILE:
a reader sees the old spec or the new one, never half of one. An invalid spec is not written.
Exit status: 0 written, 1 invalid (nothing written), 2 cannot be written.`,
  options: { ...CONFIG_OPTION, ...JSON_OPTION },
  positionals: false,
  async run(values, _positionals, io) {
    const path = configPath(values);
    const json = values['json'] === true;
    const text = (await buffer(process.stdin)).toString('utf8');
    const validation = validationRecord(path, text.replace(/^\uFEFF/, ''));
    if (!validation.ok)
      return failure(
        io,
        json,
        {
          code: 'spec-invalid',
          message: `the new spec has ${validation.errors} error(s); ${path} was not changed`,
        },
        1,
        validation.diagnostics,
      );
    const written = await writeAtomically(path, text);
    if (!written.ok) return failure(io, json, written.error);
    if (json)
      io.out(
        encodeRecord({
          type: 'spec-written',
          path,
          bytes: Buffer.byteLength(text),
          validation,
          ...written.value,
        }),
      );
    else io.out(`wrote ${path} (mode 0600, uid ${written.value.uid}, gid ${written.value.gid})`);
    return 0;
  },
};

interface Written {
  created: boolean;
  mode: number;
  uid: number;
  gid: number;
}

async function writeAtomically(
  path: string,
  text: string,
): Promise<{ ok: true; value: Written } | { ok: false; error: RunnerError }> {
  const previous = await lstat(path).catch(() => undefined);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      // The owner of the file being replaced stays its owner (a root runner writing a spec the
      // backup user owns); only root may give a file away, and then it must.
      if (previous && (previous.uid !== process.getuid?.() || previous.gid !== process.getgid?.()))
        await chown(temp, previous.uid, previous.gid);
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    const stat = await lstat(path);
    return {
      ok: true,
      value: { created: !previous, mode: stat.mode & 0o7777, uid: stat.uid, gid: stat.gid },
    };
  } catch (error) {
    await rm(temp, { force: true });
    return {
      ok: false,
      error: {
        code: 'spec-unwritable',
        message: `cannot write ${path}: ${errorMessage(error)}`,
        hint: 'run as its owner, or configure sudo for this host',
      },
    };
  }
}

function failure(
  io: CommandIO,
  json: boolean,
  error: RunnerError,
  exitCode = 2,
  diagnostics?: Diagnostic[],
): number {
  if (json) io.out(encodeRecord({ type: 'error', error, ...(diagnostics ? { diagnostics } : {}) }));
  else io.err(`backup-runner: ${error.message}${error.hint ? ` (${error.hint})` : ''}`);
  return exitCode;
}
