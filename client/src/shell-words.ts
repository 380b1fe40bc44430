/**
 * A word for a POSIX shell command line, single-quoted unless it is plainly safe. ssh hands its
 * remote command to the host's shell as one string; quoting each argv word is what keeps a path
 * with spaces or `$` from being read as shell syntax there.
 */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}
