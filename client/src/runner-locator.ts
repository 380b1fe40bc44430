import type { HostEntry } from './config';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import type { RunnerArtifact, RunnerArtifacts } from './runner-artifacts';
import { shellLine, shellWord } from './shell-words';
import type { VersionRecord } from 'backup-runner/protocol';
import { PROTOCOL_VERSION } from 'backup-runner/protocol';

/**
 * Finds the runner on a host and starts `serve --stdio` with it, in one ssh connection: prints
 * what it learns (system, architecture, Node, a backup-runner on the PATH, the runners in the
 * cache), then execs the first usable runner in the issue's order — a `backup-runner` on the
 * PATH speaking our protocol, else ours from the cache ($2: the JS flavour's directory, for Node
 * 20; $3: the single executable's). With none it says `serving=none` and ends; the extension
 * then uploads its runner and connects again. A constant script: $1 is "sudo -n" or "" (the
 * entry's sudo flag), $2–$4 come from the extension's own build.
 */
const CONNECT_SCRIPT = `sudo=$1 js=$2 sea=$3 protocol=$4
os=$(uname -s) arch=$(uname -m) node=
if command -v node >/dev/null 2>&1; then node=$(node -p process.versions.node 2>/dev/null); fi
cache="\${XDG_CACHE_HOME:-$HOME/.cache}/backup-yaml/runner"
printf 'os=%s\\narch=%s\\nnode=%s\\ncache=%s\\n' "$os" "$arch" "$node" "$cache"
for dir in "$cache"/*; do if [ -x "$dir/backup-runner" ]; then printf 'cached=%s\\n' "\${dir##*/}"; fi; done
if command -v backup-runner >/dev/null 2>&1; then
  version=$($sudo backup-runner version --json 2>/dev/null | head -n 1)
  printf 'path-runner=%s\\n' "$version"
  case "$version" in *"\\"protocol\\":$protocol,"*) printf 'serving=path\\n'; exec $sudo backup-runner serve --stdio;; esac
fi
want=$sea
case "$node" in 20.*) want=$js;; esac
if [ "$os" = Linux ] && [ "$arch" = x86_64 ] && [ -x "$cache/$want/backup-runner" ]; then
  printf 'serving=cached\\n'
  exec $sudo "$cache/$want/backup-runner" serve --stdio
fi
printf 'serving=none\\n'`;

/** How the runner was found: the entry's command, the PATH, the cache, or uploaded now. */
export type RunnerSource = 'entry' | 'path' | 'cached' | 'uploaded';

export interface HostFacts {
  os: string;
  arch: string;
  node?: string;
  cache: string;
  pathRunner?: VersionRecord;
  cached: string[];
  serving?: 'path' | 'cached' | 'none';
}

/** The command line that starts the entry's own runner command as a session. */
export function entryServeCommand(entry: Pick<HostEntry, 'runner' | 'sudo'>): string {
  return `${entry.sudo ? 'sudo -n ' : ''}${entry.runner ?? 'backup-runner'} serve --stdio`;
}

/** The command line that locates the runner and, when there is one, serves with it. */
export function connectCommand(
  entry: Pick<HostEntry, 'sudo'>,
  artifacts: RunnerArtifacts | undefined,
): string {
  return shellLine([
    'sh',
    '-c',
    CONNECT_SCRIPT,
    'backup-yaml-connect',
    entry.sudo ? 'sudo -n' : '',
    artifacts?.js.cacheName ?? 'none',
    artifacts?.sea.cacheName ?? 'none',
    String(PROTOCOL_VERSION),
  ]);
}

/** The command line that serves with a runner put into `dir` by an upload. */
export function uploadedServeCommand(entry: Pick<HostEntry, 'sudo'>, dir: string): string {
  return `${entry.sudo ? 'sudo -n ' : ''}${shellWord(`${dir}/backup-runner`)} serve --stdio`;
}

/** Reads what the connect script printed before serving (or instead of it). */
export function parseFacts(lines: readonly string[]): HostFacts {
  const facts: HostFacts = { os: '', arch: '', cache: '', cached: [] };
  for (const line of lines) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const [key, value] = [line.slice(0, at), line.slice(at + 1).trim()];
    if (key === 'os') facts.os = value;
    else if (key === 'arch') facts.arch = value;
    else if (key === 'node' && value) facts.node = value;
    else if (key === 'cache') facts.cache = value;
    else if (key === 'cached') facts.cached.push(value);
    else if (key === 'path-runner') facts.pathRunner = parseVersion(value);
    else if (key === 'serving' && (value === 'path' || value === 'cached' || value === 'none'))
      facts.serving = value;
  }
  return facts;
}

function parseVersion(json: string): VersionRecord | undefined {
  try {
    const value = JSON.parse(json) as VersionRecord;
    return value.type === 'version' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Which of our runners a host without a usable one gets, or why none fits. */
export function chooseArtifact(
  facts: HostFacts,
  artifacts: RunnerArtifacts | undefined,
): Outcome<RunnerArtifact> {
  const install =
    'install backup-runner on the host (docs/extension.md), or set "runner" for this host in backupYaml.hosts';
  if (facts.os !== 'Linux' || facts.arch !== 'x86_64')
    return failWith(
      'other-arch',
      `the host is ${facts.os || 'an unknown system'} on ${facts.arch || 'an unknown architecture'}; the extension carries a runner for Linux x86_64 only`,
      { hint: install },
    );
  if (!artifacts)
    return failWith('no-runner', 'this build of the extension carries no runner to upload', {
      hint: `${install}; or build the extension with npm run build`,
    });
  // The JS bundle's better-sqlite3 is built for Node 20's ABI; other Nodes get the executable.
  return succeed(facts.node?.startsWith('20.') ? artifacts.js : artifacts.sea);
}
