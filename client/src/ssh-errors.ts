import type { ClientError } from './errors';

/**
 * Turns a failed ssh exchange into an error that says what to do. ssh exits 255 for its own
 * failures and says why on stderr; those sentences are stable across OpenSSH releases.
 */
export function classifySshFailure(
  host: string,
  stderr: string,
  exitCode: number | undefined,
  spawnError?: NodeJS.ErrnoException,
  sshPath = 'ssh',
): ClientError | undefined {
  if (spawnError?.code === 'ENOENT')
    return {
      code: 'ssh-missing',
      host,
      message: `the OpenSSH client "${sshPath}" is not installed here`,
      hint: 'install it (Debian/Ubuntu: apt install openssh-client; Windows: the OpenSSH Client feature), or set backupYaml.ssh.path',
    };
  const text = stderr.trim();
  if (/sudo: (a password is required|a terminal is required)/.test(text))
    return {
      code: 'sudo-password',
      host,
      message: `sudo on ${host} asks for a password, and backup-yaml cannot type one`,
      hint: 'allow the runner without a password (NOPASSWD in /etc/sudoers.d) or turn "sudo" off for this host',
    };
  if (exitCode !== 255) return undefined;
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(text))
    return {
      code: 'host-key-changed',
      host,
      message: `the host key of ${host} has changed since you last connected`,
      hint: `check why with the host's administrator; after a legitimate change run: ssh-keygen -R <host>, then connect once in a terminal: ssh ${host}`,
    };
  if (/Host key verification failed|host key is known for|authenticity of host/i.test(text))
    return {
      code: 'host-key-unknown',
      host,
      message: `${host}'s host key is not in your known_hosts`,
      hint: `connect once in a terminal: ssh ${host} (and check the fingerprint)`,
    };
  const denied = /Permission denied \(([^)]*)\)/.exec(text);
  if (denied) {
    const methods = denied[1] ?? '';
    const password = /password|keyboard-interactive/.test(methods);
    return password
      ? {
          code: 'password-prompt',
          host,
          message: `${host} asks for a password, and backup-yaml connects without prompts (BatchMode)`,
          hint: `set up a key: ssh-copy-id ${host}, or load your key into ssh-agent`,
        }
      : {
          code: 'auth-refused',
          host,
          message: `${host} refused your key (${methods || 'publickey'})`,
          hint: `add your public key to ~/.ssh/authorized_keys there (ssh-copy-id ${host}), or load the right key into ssh-agent; test with: ssh ${host}`,
        };
  }
  if (/Could not resolve hostname/i.test(text))
    return {
      code: 'unknown-host-name',
      host,
      message: `${host} is neither a known host name nor an alias of your ssh config`,
      hint: 'check the spelling, or add a Host entry to ~/.ssh/config (or the file in backupYaml.ssh.configFile)',
    };
  if (
    /Connection refused|No route to host|timed out|Network is unreachable|Connection closed by|Connection reset/i.test(
      text,
    )
  )
    return {
      code: 'unreachable',
      host,
      message: `cannot reach ${host}: ${lastLine(text)}`,
      hint: 'check that the host is up and sshd listens on that port (ssh -v in a terminal shows where it stops)',
    };
  return {
    code: 'ssh-failed',
    host,
    message: `ssh to ${host} failed: ${lastLine(text) || 'exit status 255'}`,
    hint: `try it in a terminal: ssh ${host}`,
  };
}

function lastLine(text: string): string {
  return text.split('\n').filter(Boolean).pop()?.trim() ?? '';
}
