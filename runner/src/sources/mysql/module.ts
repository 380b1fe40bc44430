import { join } from 'node:path';
import type { VerifyCheck } from '../../protocol';
import { ok } from '../../result';
import { describeSecret } from '../../secrets';
import type { MysqlSource } from '../../spec/types';
import type { DrillInput, SourceModule } from '../source-module';
import {
  commandPrefix,
  dumpArguments,
  dumpFileName,
  dumpToolCandidates,
  optionsPathFor,
} from './argv';
import type { MysqlClient } from './client';
import { checkDumpTrailer, connectVerifyServer, loadDump } from './drill';
import { dumpMysql, mysqlPasswordSources } from './index';

/** MySQL/MariaDB: mysqldump or mariadb-dump --single-transaction, loaded into verify.mysql. */
export const mysqlModule: SourceModule<MysqlSource> = {
  dump: dumpMysql,
  describe: (name, source, outDir) => {
    const [tool, fallback] = dumpToolCandidates(source);
    const secret = source.password_file
      ? `file ${source.password_file}`
      : describeSecret(source.password, source.password_command);
    const options = optionsPathFor(
      source,
      `<private FIFO: client options, password from ${secret}>`,
    );
    const instead = fallback ? ` (${fallback} when ${tool} is not installed)` : '';
    return {
      title: `dump mysql source "${name}": database ${source.database} to ${join(outDir, dumpFileName(source.database))}${instead}; accepted only with exit 0, no error and the "-- Dump completed" trailer`,
      commands: [
        [...commandPrefix(source), tool ?? 'mysqldump', ...dumpArguments(source, options)],
      ],
    };
  },
  password: mysqlPasswordSources,
  prepareDrill: async (verify, signal) => {
    const server = verify?.mysql;
    if (!server) return ok((input) => checkMysql(input, undefined));
    const connected = await connectVerifyServer(server, signal);
    if (!connected.ok) return connected;
    return ok((input) => checkMysql(input, connected.value));
  },
};

/** Each dump's trailer, and its load into a scratch database when there is a server for it. */
async function checkMysql(
  input: DrillInput,
  mysql: MysqlClient | undefined,
): Promise<VerifyCheck[]> {
  const dumps = input.entries.filter((e) => e.type === 'file' && e.path.endsWith('.sql'));
  if (dumps.length === 0)
    return [{ name: 'dump-trailer', status: 'failed', detail: 'no dump (.sql) was restored' }];
  const { metadata } = input;
  const tables = Array.isArray(metadata['tables']) ? metadata['tables'].map(String) : [];
  const checks: VerifyCheck[] = [];
  for (const dump of dumps) {
    const path = join(input.runDir, dump.path);
    const trailer = await checkDumpTrailer(path);
    checks.push(trailer);
    if (!mysql) continue;
    if (!input.intact || trailer.status !== 'ok') {
      checks.push({
        name: 'mysql-load',
        status: 'skipped',
        detail: 'not loaded: the dump is damaged',
      });
      continue;
    }
    checks.push(await loadDump(mysql, path, dumps.length === 1 ? tables : [], input.signal));
  }
  if (!mysql)
    checks.push({
      name: 'mysql-load',
      status: 'skipped',
      detail: 'not loaded: the spec names no verify.mysql server',
    });
  return checks;
}
