import { createReadStream } from 'node:fs';
import { Transform } from 'node:stream';
import type { Outcome } from './errors';
import { failWith, succeed } from './errors';
import { runOnHost } from './host-command';
import type { RunnerArtifact } from './runner-artifacts';
import { shellLine } from './shell-words';
import type { Transport } from './transport';

/**
 * Receives a packed runner on stdin into the cache ($1: directory name, $2: sha256): written
 * under a temporary name, checked, unpacked, then renamed into place. rename(2) is atomic, and
 * it fails when another window got there first; that copy is then used, so two windows
 * uploading at once both end up with one whole runner. A constant: nothing in it comes from
 * settings.
 */
const RECEIVE_SCRIPT = `set -eu
cache="\${XDG_CACHE_HOME:-$HOME/.cache}/backup-yaml/runner"
final="$cache/$1"
tmp="$cache/.$1.$$"
mkdir -p "$cache"
chmod 700 "$cache" 2>/dev/null || true
rm -rf "$tmp" "$tmp.tar.gz"
trap 'rm -rf "$tmp" "$tmp.tar.gz"' EXIT
cat > "$tmp.tar.gz"
if ! printf '%s  %s\\n' "$2" "$tmp.tar.gz" | sha256sum -c --status -; then
  echo "backup-yaml: the uploaded runner does not match its sha256" >&2
  exit 3
fi
mkdir "$tmp"
tar -xzf "$tmp.tar.gz" -C "$tmp"
"$tmp/backup-runner" version --json >/dev/null
if mv -T "$tmp" "$final" 2>/dev/null; then echo installed; elif [ -x "$final/backup-runner" ]; then echo present; else exit 4; fi
printf '%s\\n' "$final"
`;

export interface Upload {
  /** Where the runner directory is on the host. */
  dir: string;
  bytesSent: number;
  /** Another window had put the same runner there first. */
  alreadyPresent: boolean;
}

/** Sends `artifact` to the host's cache and returns where it now is. */
export async function uploadRunner(
  transport: Transport,
  artifact: RunnerArtifact,
  sshPath?: string,
): Promise<Outcome<Upload>> {
  let bytesSent = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytesSent += chunk.length;
      done(null, chunk);
    },
  });
  const input = createReadStream(artifact.path).pipe(counter);
  const command = shellLine([
    'sh',
    '-c',
    RECEIVE_SCRIPT,
    'backup-yaml-upload',
    artifact.cacheName,
    artifact.sha256,
  ]);
  const result = await runOnHost(transport, command, input, sshPath);
  if (!result.ok) return result;
  const [status, dir] = result.value.stdout.trim().split('\n');
  if (result.value.exitCode !== 0 || !dir)
    return failWith(
      'upload-failed',
      `could not put the runner on ${transport.label}: ${result.value.stderr.trim().split('\n').pop() ?? `exit ${result.value.exitCode}`}`,
      {
        host: transport.label,
        hint: 'the host needs sh, tar, gzip and sha256sum, and room in ~/.cache (about 110 MB for the self-contained runner)',
      },
    );
  return succeed({ dir, bytesSent, alreadyPresent: status === 'present' });
}
