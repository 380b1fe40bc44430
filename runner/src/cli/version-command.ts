import { encodeRecord, PROTOCOL_VERSION } from '../protocol';
import type { VersionRecord } from '../protocol';
import { detectRestic } from '../restic/version';
import type { Command } from './command';
import { JSON_OPTION } from './command';
import { isSelfContained } from './self-contained';
import { VERSION } from './version';

export const versionCommand: Command = {
  name: 'version',
  summary: 'the version, protocol version, platform and restic (--json for clients)',
  usage: `Usage: backup-runner version [--json]

Prints the runner's version, the version of its JSON-lines protocol (runner/src/protocol.ts),
its platform and architecture, whether it is the self-contained executable, and the restic on
its PATH. Clients (the VS Code extension) use a runner only when the protocol versions match.
Exit status: 0, also when restic is missing (the record says so).`,
  options: { ...JSON_OPTION },
  positionals: false,
  async run(values, _positionals, io) {
    const record = await versionRecord();
    if (values['json'] === true) io.out(encodeRecord(record));
    else {
      io.out(`backup-runner ${record.version} (protocol ${record.protocol})`);
      io.out(
        `${record.platform}-${record.arch}, Node.js ${record.node}${record.selfContained ? ', self-contained' : ''}`,
      );
      io.out(
        record.restic.ok
          ? `restic ${record.restic.version}`
          : `restic: ${record.restic.error.message}${record.restic.error.hint ? ` (${record.restic.error.hint})` : ''}`,
      );
    }
    return 0;
  },
};

export async function versionRecord(): Promise<VersionRecord> {
  const restic = await detectRestic();
  return {
    type: 'version',
    version: VERSION,
    protocol: PROTOCOL_VERSION,
    platform: process.platform,
    arch: process.arch,
    node: process.version,
    selfContained: isSelfContained(),
    restic: restic.ok
      ? { ok: true, version: restic.value.text }
      : { ok: false, error: restic.error },
  };
}
