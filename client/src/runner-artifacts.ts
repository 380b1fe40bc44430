import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One packed runner that the extension can upload (built by scripts/build-remote-runners.mjs). */
export interface RunnerArtifact {
  flavour: 'sea' | 'js';
  /** The .tar.gz to send. */
  path: string;
  sha256: string;
  bytes: number;
  /** The directory name on the host: `<version>-<sha256 prefix>-<flavour>`. */
  cacheName: string;
}

export interface RunnerArtifacts {
  version: string;
  /** Node 20 hosts: the JS bundle with better-sqlite3 built for Node 20's ABI. */
  js: RunnerArtifact;
  /** linux-x64 hosts without a usable Node: the single executable. */
  sea: RunnerArtifact;
}

interface Manifest {
  version: string;
  artifacts: Record<'js' | 'sea', { file: string; sha256: string; bytes: number }>;
}

/** Reads dist/remote/manifest.json of the extension; undefined when the build made none. */
export async function loadRunnerArtifacts(dir: string): Promise<RunnerArtifacts | undefined> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  const artifact = (flavour: 'js' | 'sea'): RunnerArtifact => {
    const entry = manifest.artifacts[flavour];
    return {
      flavour,
      path: join(dir, entry.file),
      sha256: entry.sha256,
      bytes: entry.bytes,
      cacheName: `${manifest.version}-${entry.sha256.slice(0, 12)}-${flavour}`,
    };
  };
  return { version: manifest.version, js: artifact('js'), sea: artifact('sea') };
}
