import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result, RunnerError } from '../../result';
import { errorMessage, fail, ok } from '../../result';
import type { SecretSources } from '../../secrets';
import { resolveSecret } from '../../secrets';
import type { PostgresSource } from '../../spec/types';
import { dumpProcessFailure, runDumpProcess } from '../dump-process';
import type { SourceDumper, SourceDumpInput, SourceDumpOutput } from '../source-dumper';
import { commandPrefix, dumpArguments, dumpFileName } from './argv';
import { verifyDumpFile } from './dump-output';
import type { PgpassFile } from './pgpass';
import { pgpassEnvironment, renderPgpass, writePgpassFile } from './pgpass';
import { classifyStderrLine, diagnoseFailure } from './stderr';
import { pgDumpVersion } from './tool';

export { dumpFileName } from './argv';

/**
 * Dumps one PostgreSQL database with `pg_dump --format=plain` into `<outDir>/<database>.sql`.
 * The password reaches pg_dump only through a private pgpass file (PGPASSFILE), on stdin inside
 * a container; never argv, environment, logs or events. The dump counts only when pg_dump exited
 * 0, said no error, and the file ends with the "PostgreSQL database dump complete" trailer (and
 * the `\unrestrict` key its head opened with); otherwise the file is deleted and a coded error
 * returned.
 */
export const dumpPostgres: SourceDumper<PostgresSource> = async (input) => {
  const { name, source, outDir, signal } = input;
  const started = Date.now();
  if (signal.aborted) return cancelled(name);

  const password = input.password
    ? ok(input.password.value)
    : await resolveSecret(postgresPasswordSources(source), `postgres source "${name}" password`);
  if (!password.ok) return about(name, password.error);
  const version = await pgDumpVersion(source, name, signal);
  if (!version.ok) return version;

  let pgpass: PgpassFile | undefined;
  if (source.container === undefined) {
    const written = await writePgpassFile(password.value);
    if (!written.ok) return about(name, written.error);
    pgpass = written.value;
  }
  const outPath = join(outDir, dumpFileName(source.database));
  try {
    const result = await dump(input, password.value, pgpass, outPath);
    if (!result.ok) {
      await rm(outPath, { force: true });
      return result;
    }
    const metadata = {
      ...result.value.metadata,
      toolVersion: version.value,
      ...(source.container === undefined ? {} : { container: source.container }),
      durationMs: Date.now() - started,
    };
    return ok({ ...result.value, metadata });
  } catch (error) {
    // An I/O failure of our own (the staging directory): still leave nothing behind.
    await rm(outPath, { force: true });
    return fail('postgres-dump-failed', `postgres source "${name}": ${errorMessage(error)}`, {
      subject: name,
    });
  } finally {
    await pgpass?.remove();
  }
};

async function dump(
  input: SourceDumpInput<PostgresSource>,
  password: string | undefined,
  pgpass: PgpassFile | undefined,
  outPath: string,
): Promise<Result<SourceDumpOutput>> {
  const { name, source, signal, progress, warn } = input;
  const errors: string[] = [];
  const tables: string[] = [];
  let bytesDone = 0;
  const outcome = await runDumpProcess({
    argv: [...commandPrefix(source), 'pg_dump', ...dumpArguments(source)] as [string, ...string[]],
    outPath,
    ...(pgpass === undefined
      ? { stdinContent: renderPgpass(password) }
      : { env: pgpassEnvironment(pgpass.path) }),
    signal,
    onStderrLine: (line) => {
      const parsed = classifyStderrLine(line);
      // pg_dump narrates only once it is connected, and libpq read the file to connect: the
      // file goes now, not when the dump ends (a runner killed meanwhile would leave it).
      if (pgpass && (parsed.kind === 'info' || parsed.kind === 'table')) void pgpass.remove();
      if (parsed.kind === 'table') {
        tables.push(parsed.table);
        progress({ bytesDone, detail: `table ${parsed.table}` });
      } else if (parsed.kind === 'warning') warn(`postgres source "${name}": ${parsed.text}`);
      else if (parsed.kind === 'error') errors.push(parsed.text);
      else if (parsed.kind === 'detail' && errors.length > 0)
        errors[errors.length - 1] += ` ${parsed.text}`;
    },
    onBytes: (bytes) => progress({ bytesDone: (bytesDone = bytes) }),
  });

  if (outcome.cancelled || signal.aborted) return cancelled(name);
  const failed = dumpProcessFailure(
    outcome,
    errors,
    { source: name, type: 'postgres', program: 'pg_dump', missingCode: 'postgres-tool-missing' },
    diagnoseFailure,
  );
  if (failed) return failed;
  const complete = await verifyDumpFile(outPath, name);
  if (!complete.ok) return complete;
  const { bytes, serverVersion, pgDumpVersion, trailer } = complete.value;
  return ok({
    ...(tables.length === 0 ? { empty: `database ${source.database} has no tables` } : {}),
    metadata: {
      database: source.database,
      file: dumpFileName(source.database),
      bytes,
      format: 'plain',
      ...(serverVersion === undefined ? {} : { serverVersion }),
      ...(pgDumpVersion === undefined ? {} : { pgDumpVersion }),
      trailer,
      tables,
      // pg_dump reads everything in one repeatable-read transaction.
      snapshot: 'repeatable read',
    },
  });
}

/** Where a PostgreSQL source's password comes from, for resolveSecret. */
export function postgresPasswordSources(source: PostgresSource): SecretSources {
  return { value: source.password, file: source.password_file, command: source.password_command };
}

function cancelled<T>(name: string): Result<T> {
  return fail('cancelled', `postgres source "${name}": cancelled`, { subject: name });
}

function about<T>(name: string, error: RunnerError): Result<T> {
  return { ok: false, error: { ...error, subject: error.subject ?? name } };
}
