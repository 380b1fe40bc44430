import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { execa } from 'execa';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, codeServerEntry } from './locate';

export interface ExtensionTestRun {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  /** The workspace folder to open. */
  folder: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Workbench chatter that says nothing about the tests. */
const WORKBENCH_NOISE =
  /Ignoring fetching additional builtin extensions|Updating additional builtin extensions cache|Creating a socket|connection token|\[Service Worker\]|ChatSessionStore/;

export interface WorkbenchOptions {
  /** The extension under development, loaded as VS Code's integration tests load it. */
  extensionDevelopmentPath?: string;
  /** A .vsix installed into the fresh profile first (`code-server --install-extension`). */
  vsix?: string;
  /** The suite's index module; none for a UI test that drives the workbench itself. */
  extensionTestsPath?: string;
  folder: string;
  /** User settings besides the harness's own (no start-up editor, no telemetry). */
  userSettings?: Record<string, unknown>;
  log?: (line: string) => void;
}

export interface Workbench {
  page: Page;
  runDir: string;
  /** Resolves with the suite's exit code (extension tests only). */
  exit: Promise<number>;
  /** Closes the browser and ends code-server's process group; removes runDir unless kept. */
  close(keep: boolean): Promise<void>;
}

/**
 * code-server on loopback with its workbench opened by headless Chromium, with the same payload
 * VS Code's own browser integration tests use.
 */
export async function launchWorkbench(run: WorkbenchOptions): Promise<Workbench> {
  const log = run.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const entry = codeServerEntry();
  const executablePath = chromiumPath();
  const runDir = mkdtempSync(join(tmpdir(), 'backup-yaml-vscode-'));
  const dirs = Object.fromEntries(
    ['data', 'extensions', 'config', 'share', 'cache', 'runtime', 'tmp'].map((name) => {
      const dir = join(runDir, name);
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return [name, dir];
    }),
  ) as Record<'data' | 'extensions' | 'config' | 'share' | 'cache' | 'runtime' | 'tmp', string>;
  mkdirSync(join(dirs.data, 'User'), { recursive: true });
  writeFileSync(
    join(dirs.data, 'User', 'settings.json'),
    JSON.stringify({
      'workbench.startupEditor': 'none',
      'telemetry.telemetryLevel': 'off',
      ...run.userSettings,
    }),
  );

  const env = {
    EXTENSIONS_GALLERY: '{}',
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.share,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.runtime,
    TMPDIR: dirs.tmp,
  };
  const profile = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions];
  if (run.vsix) {
    const installed = await execa(
      process.execPath,
      [entry, '--install-extension', run.vsix, ...profile],
      { env, reject: false, stdin: 'ignore', all: true },
    );
    if (installed.exitCode !== 0) {
      rmSync(runDir, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${run.vsix} failed:\n${installed.all}`);
    }
    log(String(installed.all).trim());
  }
  const port = await freePort();
  const server = execa(
    process.execPath,
    [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...profile,
    ],
    {
      detached: true,
      reject: false,
      stdin: 'ignore',
      stdout: { file: join(runDir, 'code-server.log') },
      stderr: { file: join(runDir, 'code-server.log'), append: true },
      env,
    },
  );
  let browser: Browser | undefined;
  const close = async (keep: boolean) => {
    await browser?.close().catch(() => undefined);
    await stopProcessGroup(server);
    if (!keep) rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(port, server, 60_000);
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    let finish: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (!WORKBENCH_NOISE.test(line)) log(line);
    });
    await page.exposeFunction('codeAutomationExit', (code: number) => finish(code));
    const remote = (path: string) => `vscode-remote://127.0.0.1:${port}${path}`;
    const payload = [
      ...(run.extensionDevelopmentPath
        ? [['extensionDevelopmentPath', remote(run.extensionDevelopmentPath)]]
        : []),
      ...(run.extensionTestsPath ? [['extensionTestsPath', remote(run.extensionTestsPath)]] : []),
    ];
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(run.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    return { page, runDir, exit, close };
  } catch (error) {
    await close(true);
    throw error;
  }
}

/**
 * Runs an extension test suite (an index module exporting run()) in a real VS Code (see
 * launchWorkbench). Returns the suite's exit code; 1 on a timeout.
 */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const log = run.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const workbench = await launchWorkbench({ ...run, log });
  let exitCode = 1;
  try {
    const timeoutMs = run.timeoutMs ?? 180_000;
    const timeout = new Promise<'timeout'>((resolve) =>
      setTimeout(() => resolve('timeout'), timeoutMs).unref(),
    );
    const outcome = await Promise.race([workbench.exit, timeout]);
    if (outcome === 'timeout') {
      await workbench.page
        .screenshot({ path: join(workbench.runDir, 'timeout.png') })
        .catch(() => undefined);
      log(
        `extension tests did not finish within ${timeoutMs} ms; screenshot and logs in ${workbench.runDir}`,
      );
    } else {
      exitCode = outcome;
    }
  } finally {
    // A failed run keeps its logs and screenshot, unless the caller expects the failure.
    const keep = exitCode !== 0 && process.env['BACKUP_YAML_VSCODE_KEEP_FAILED'] !== '0';
    await workbench.close(keep);
    if (keep) log(`code-server run kept for inspection: ${workbench.runDir}`);
  }
  return exitCode;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHealth(
  port: number,
  server: { exitCode?: number | null },
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (typeof server.exitCode === 'number')
      throw new Error(`code-server exited with ${server.exitCode} before it was up`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `code-server did not answer /healthz on 127.0.0.1:${port} within ${timeoutMs} ms`,
  );
}

/** code-server leaves a file watcher running for seconds after it exits: end the whole group. */
async function stopProcessGroup(
  child: { pid?: number | undefined } & PromiseLike<unknown>,
): Promise<void> {
  const pid = child.pid;
  if (!pid) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
      return true;
    } catch {
      return false;
    }
  };
  if (!signal('SIGTERM')) return;
  const exited = Promise.resolve(child).then(() => true);
  const timedOut = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), 5_000).unref(),
  );
  await Promise.race([exited, timedOut]);
  // The group may outlive its leader; make sure nothing of it is left.
  signal('SIGKILL');
}
