import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import SSHConfig from 'ssh-config';

export interface SshAlias {
  alias: string;
  /** Where it leads (`user@hostname:port`), for the picker's description. */
  target: string;
}

/**
 * The `Host` aliases of the ssh config (backupYaml.ssh.configFile, else ~/.ssh/config), without
 * patterns, for the "Add host" picker. `Include`d files are not followed.
 */
export async function readSshAliases(configFile: string | undefined): Promise<SshAlias[]> {
  const path = configFile ?? join(homedir(), '.ssh', 'config');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return [];
  }
  const config = SSHConfig.parse(text);
  const aliases: SshAlias[] = [];
  for (const line of config) {
    if (line.type !== SSHConfig.DIRECTIVE || line.param.toLowerCase() !== 'host') continue;
    const values =
      typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const alias of values) {
      if (alias === '' || /[*?!]/.test(alias) || aliases.some((a) => a.alias === alias)) continue;
      const computed = config.compute(alias);
      const hostName = String(computed['HostName'] ?? alias);
      const user = computed['User'] ? `${String(computed['User'])}@` : '';
      const port = computed['Port'] ? `:${String(computed['Port'])}` : '';
      aliases.push({ alias, target: `${user}${hostName}${port}` });
    }
  }
  return aliases;
}
