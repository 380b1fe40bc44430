import type { HostEntry } from './config';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import { runOnHost } from './host-command';
import type { RunnerArtifact, RunnerArtifacts } from './runner-artifacts';
import { uploadRunner } from './runner-upload';
import { shellWord } from './shell-words';
import type { Transport } from './transport';
import type { VersionRecord } from '../../runner/src/protocol';
import { PROTOCOL_VERSION } from '../../runner/src/protocol';

/** How the runner is started on a host: a shell command prefix, e.g. `sudo -n backup-runner`. */
export interface LocatedRunner {
  prefix: string;
  how: 'entry' | 'path' | 'cached' | 'uploaded';
  /** Bytes sent when it was uploaded now. */
  uploadedBytes?: number;
}

/**
 * What one probe learns about a host, in one ssh connection: its system and architecture, its
 * Node, a backup-runner on its PATH (and its version record), and the runners it has cached.
 * A constant script; `$1` is "sudo -n " or "" (from the entry's sudo flag, not its text).
 */
const PROBE_SCRIPT = `os=$(uname -s); arch=$(uname -m)
printf 'os=%s\\narch=%s\\n' "$os" "$arch"
if command -v node >/dev/null 2>&1; then printf 'node=%s\\n' "$(node -p process.versions.node 2>/dev/null)"; fi
cache="\${XDG_CACHE_HOME:-$HOME/.cache}/backup-yaml/runner"
printf 'cache=%s\\n' "$cache"
if command -v backup-runner >/dev/null 2>&1; then printf 'path-runner=%s\\n' "$($1 backup-runner version --json 2>/dev/null | head -n 1)"; fi
for dir in "$cache"/*; do if [ -x "$dir/backup-runner" ]; then printf 'cached=%s\\n' "\${dir##*/}"; fi; done
true`;

export interface HostFacts {
  os: string;
  arch: string;
  node?: string;
  cache: string;
  pathRunner?: VersionRecord;
  cached: string[];
}

export interface LocateOptions {
  sshPath?: string;
  onUpload?: (artifact: RunnerArtifact) => void;
}

/**
 * Finds the runner a host will use, in the issue's order: the entry's `runner` command; a
 * `backup-runner` on the host's PATH speaking our protocol; our own runner in the host's cache;
 * else our own runner uploaded there now (the single executable, or the JS bundle when the host
 * has Node 20).
 */
export async function locateRunner(
  transport: Transport,
  entry: Pick<HostEntry, 'runner' | 'sudo'>,
  artifacts: RunnerArtifacts | undefined,
  options: LocateOptions = {},
): Promise<Outcome<LocatedRunner>> {
  const sudo = entry.sudo ? 'sudo -n ' : '';
  if (entry.runner) return succeed({ prefix: `${sudo}${entry.runner}`, how: 'entry' });
  const probed = await runOnHost(
    transport,
    `sh -c ${shellWord(PROBE_SCRIPT)} probe ${shellWord(sudo)}`,
    undefined,
    options.sshPath,
  );
  if (!probed.ok) return probed;
  const facts = parseFacts(probed.value.stdout);
  if (facts.pathRunner?.protocol === PROTOCOL_VERSION)
    return succeed({ prefix: `${sudo}backup-runner`, how: 'path' });
  const artifact = chooseArtifact(facts, artifacts);
  if (!artifact.ok) return { ok: false, error: { ...artifact.error, host: transport.label } };
  const runnerIn = (dir: string) => `${sudo}${shellWord(`${dir}/backup-runner`)}`;
  if (facts.cached.includes(artifact.value.cacheName))
    return succeed({
      prefix: runnerIn(`${facts.cache}/${artifact.value.cacheName}`),
      how: 'cached',
    });
  options.onUpload?.(artifact.value);
  const upload = await uploadRunner(transport, artifact.value, options.sshPath);
  if (!upload.ok) return upload;
  return succeed({
    prefix: runnerIn(upload.value.dir),
    how: 'uploaded',
    uploadedBytes: upload.value.bytesSent,
  });
}

export function parseFacts(stdout: string): HostFacts {
  const facts: HostFacts = { os: '', arch: '', cache: '', cached: [] };
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at < 0) continue;
    const [key, value] = [line.slice(0, at), line.slice(at + 1).trim()];
    if (key === 'os') facts.os = value;
    else if (key === 'arch') facts.arch = value;
    else if (key === 'node' && value) facts.node = value;
    else if (key === 'cache') facts.cache = value;
    else if (key === 'cached') facts.cached.push(value);
    else if (key === 'path-runner') facts.pathRunner = parseVersion(value);
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

function chooseArtifact(
  facts: HostFacts,
  artifacts: RunnerArtifacts | undefined,
): Outcome<RunnerArtifact> {
  const install =
    'install backup-runner on the host (docs/extension.md), or set "runner" for this host in backupYaml.hosts';
  // A backup-runner of another protocol on the PATH is left alone: ours goes to the cache.
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
