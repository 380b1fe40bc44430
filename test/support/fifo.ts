import { execa } from 'execa';

export async function mkfifo(path: string): Promise<void> {
  await execa('mkfifo', ['-m', '600', path]);
}
