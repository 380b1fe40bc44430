/**
 * The option file handed to mysqldump/mariadb-dump through `--defaults-extra-file`: the only place
 * the password ever goes. Both MySQL's and MariaDB's option parsers strip one pair of quotes
 * around a value and then undo these backslash escapes; inside quotes `#` is no comment.
 */
export function renderClientOptions(password: string | undefined): string {
  const lines = ['[client]'];
  if (password !== undefined) lines.push(`password="${escapeOptionValue(password)}"`);
  return `${lines.join('\n')}\n`;
}

const escapes: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
};

function escapeOptionValue(value: string): string {
  return value.replace(/[\\"\n\r\t\b]/g, (char) => escapes[char] ?? char);
}
