import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';

const script = join(import.meta.dirname, 'sql-session.mjs');

interface Reply {
  ok?: boolean;
  ready?: boolean;
  rows?: Record<string, unknown>[];
  code?: string;
  message?: string;
}

/** A SQLite connection in another process (sql-session.mjs), one request at a time. */
export class SqlSession {
  private pending: ((reply: Reply) => void)[] = [];

  private constructor(private readonly child: ResultPromise<{ reject: false }>) {
    createInterface({ input: child.stdout! }).on('line', (line) =>
      this.pending.shift()?.(JSON.parse(line) as Reply),
    );
  }

  static async open(database: string, busyTimeoutMs = 0): Promise<SqlSession> {
    const child = execa(
      process.execPath,
      [script, database, '--busy-timeout', String(busyTimeoutMs)],
      { reject: false, stdin: 'pipe' },
    );
    const session = new SqlSession(child);
    await session.request({});
    return session;
  }

  /** Runs statements; throws with SQLite's code when they fail. */
  async exec(sql: string): Promise<void> {
    const reply = await this.request({ sql });
    if (!reply.ok) throw Object.assign(new Error(reply.message), { code: reply.code });
  }

  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const reply = await this.request({ query: sql });
    if (!reply.ok) throw Object.assign(new Error(reply.message), { code: reply.code });
    return reply.rows as T[];
  }

  /** Like exec, but returns SQLite's error code instead of throwing (undefined when it worked). */
  async tryExec(sql: string): Promise<string | undefined> {
    const reply = await this.request({ sql });
    return reply.ok ? undefined : reply.code;
  }

  /** Ends the process without closing the connection, like an application that crashed. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.child;
  }

  async close(): Promise<void> {
    this.child.stdin!.end();
    await this.child;
  }

  private request(body: object): Promise<Reply> {
    return new Promise((resolve) => {
      this.pending.push(resolve);
      if (Object.keys(body).length > 0) this.child.stdin!.write(`${JSON.stringify(body)}\n`);
    });
  }
}
