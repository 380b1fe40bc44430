import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Result, RunnerError } from '../../result';
import { errorMessage, fail, ok } from '../../result';
import type { SecretSources } from '../../secrets';
import { resolveSecret } from '../../secrets';
import type { MysqlSource } from '../../spec/types';
import type { SourceDumper, SourceDumpInput, SourceDumpOutput } from '../source-dumper';
import { commandPrefix, dumpArguments, dumpFileName, optionsPathFor } from './argv';
import { openSecretFifo } from '../../secret-fifo';
import type { SecretFifo } from '../../secret-fifo';
import { verifyDumpFile } from './dump-output';
import { renderClientOptions } from './options-file';
import { dumpProcessFailure, runDumpProcess } from '../dump-process';
import { classifyStderrLine, diagnoseFailure } from './stderr';
import { resolveDumpTool } from './tool';

export { dumpFileName } from './argv';

/**
 * Dumps one MySQL/MariaDB database with mysqldump or mariadb-dump (`--single-transaction`) into
 * `<outDir>/<database>.sql`. The password reaches the tool only through an option file it reads
 * from a private FIFO (from stdin inside a container); never argv, environment, logs or events. The dump counts only when the tool
 * exited 0, said no error, and the file ends with the "-- Dump completed" trailer; otherwise the
 * file is deleted and a coded error returned.
 */
export const dumpMysql: SourceDumper<MysqlSource> = async (input) => {
  const { name, source, outDir, signal } = input;
  const started = Date.now();
  if (signal.aborted) return cancelled(name);

  const password = input.password
    ? ok(input.password.value)
    : await resolveSecret(mysqlPasswordSources(source), `mysql source "${name}" password`);
  if (!password.ok) return about(name, password.error);
  const tool = await resolveDumpTool(source, name, signal);
  if (!tool.ok) return tool;

  const options = renderClientOptions(password.value);
  let fifo: SecretFifo | undefined;
  if (source.container === undefined) {
    const opened = await openSecretFifo(options);
    if (!opened.ok) return about(name, opened.error);
    fifo = opened.value;
  }
  const outPath = join(outDir, dumpFileName(source.database));
  try {
    const result = await dump(input, tool.value.name, options, fifo, outPath);
    if (!result.ok) {
      await rm(outPath, { force: true });
      return result;
    }
    const metadata = {
      ...result.value.metadata,
      tool: tool.value.name,
      toolVersion: tool.value.version,
      ...(source.container === undefined ? {} : { container: source.container }),
      durationMs: Date.now() - started,
    };
    return ok({ metadata });
  } catch (error) {
    // An I/O failure of our own (the staging directory): still leave nothing behind.
    await rm(outPath, { force: true });
    return fail('mysql-dump-failed', `mysql source "${name}": ${errorMessage(error)}`, {
      subject: name,
    });
  } finally {
    await fifo?.close();
  }
};

async function dump(
  input: SourceDumpInput<MysqlSource>,
  tool: string,
  options: string,
  fifo: SecretFifo | undefined,
  outPath: string,
): Promise<Result<SourceDumpOutput>> {
  const { name, source, signal, progress, warn } = input;
  const args = dumpArguments(source, optionsPathFor(source, fifo?.path ?? ''));
  const errors: string[] = [];
  const tables: string[] = [];
  let bytesDone = 0;
  const outcome = await runDumpProcess({
    argv: [...commandPrefix(source), tool, ...args] as [string, ...string[]],
    outPath,
    ...(source.container === undefined ? {} : { stdinContent: options }),
    signal,
    onStderrLine: (line) => {
      const parsed = classifyStderrLine(line);
      if (parsed.kind === 'table') {
        tables.push(parsed.table);
        progress({ bytesDone, detail: `table ${parsed.table}` });
      } else if (parsed.kind === 'warning') warn(`mysql source "${name}": ${parsed.text}`);
      else if (parsed.kind === 'error') errors.push(parsed.text);
    },
    onBytes: (bytes) => progress({ bytesDone: (bytesDone = bytes) }),
  });

  if (outcome.cancelled || signal.aborted) return cancelled(name);
  const failed = dumpProcessFailure(
    outcome,
    errors,
    { source: name, type: 'mysql', program: tool, missingCode: 'mysql-tool-missing' },
    diagnoseFailure,
  );
  if (failed) return failed;
  const complete = await verifyDumpFile(outPath, name);
  if (!complete.ok) return complete;
  const { bytes, serverVersion, producer, trailer } = complete.value;
  return ok({
    ...(tables.length === 0 ? { empty: `database ${source.database} has no tables` } : {}),
    metadata: {
      database: source.database,
      file: dumpFileName(source.database),
      bytes,
      ...(serverVersion === undefined ? {} : { serverVersion }),
      ...(producer === undefined ? {} : { producer }),
      trailer,
      tables,
      routines: source.routines !== false,
      triggers: source.triggers !== false,
      events: source.events !== false,
      singleTransaction: true,
    },
  });
}

/** Where a MySQL source's password comes from, for resolveSecret. */
export function mysqlPasswordSources(source: MysqlSource): SecretSources {
  return { value: source.password, file: source.password_file, command: source.password_command };
}

function cancelled<T>(name: string): Result<T> {
  return fail('cancelled', `mysql source "${name}": cancelled`, { subject: name });
}

function about<T>(name: string, error: RunnerError): Result<T> {
  return { ok: false, error: { ...error, subject: error.subject ?? name } };
}
