import { join } from 'node:path';
import { ok } from '../../result';
import { describeSecret } from '../../secrets';
import type { MysqlSource } from '../../spec/types';
import type { SourceModule } from '../source-module';
import type { SqlDumpDrill } from '../sql-dump-drill';
import { drillSqlDumps } from '../sql-dump-drill';
import {
  commandPrefix,
  dumpArguments,
  dumpFileName,
  dumpToolCandidates,
  optionsPathFor,
} from './argv';
import type { MysqlClient } from './client';
import { connectVerifyServer, loadDump, readDumpTrailer } from './drill';
import { dumpMysql, mysqlPasswordSources } from './index';

const MYSQL_DRILL: SqlDumpDrill<MysqlClient> = {
  loadCheck: 'mysql-load',
  serverKey: 'verify.mysql',
  readTrailer: readDumpTrailer,
  load: loadDump,
};

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
    if (!server) return ok((input) => drillSqlDumps(input, undefined, MYSQL_DRILL));
    const connected = await connectVerifyServer(server, signal);
    if (!connected.ok) return connected;
    return ok((input) => drillSqlDumps(input, connected.value, MYSQL_DRILL));
  },
};
