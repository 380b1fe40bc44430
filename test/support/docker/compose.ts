import { chmod, cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { repoRoot } from '../paths';
import type { DockerResult } from './engine';
import { dockerEnv, ownedName } from './engine';

/**
 * One of examples/docker-compose/* brought up as the tests run it: a copy of the example's
 * directory (so secrets and restores stay out of the checkout), its compose.yaml with the test
 * override from test/docker/compose (host networking, test ports), under a project name the test
 * owns. docker-compose v1 is what Debian 12 has.
 */
export class ComposeProject {
  readonly project = ownedName('compose').replace(/-/g, '');

  private constructor(
    readonly dir: string,
    private readonly override: string,
    private readonly env: Record<string, string>,
  ) {}

  static async copy(
    example: string,
    into: string,
    secrets: Record<string, string>,
    env: Record<string, string> = {},
  ): Promise<ComposeProject> {
    const dir = join(into, example);
    await cp(join(repoRoot, 'examples', 'docker-compose', example), dir, { recursive: true });
    await mkdir(join(dir, 'secrets'), { recursive: true });
    // The sidecar runs as uid 1000 and reads its secrets from bind mounts.
    for (const [name, value] of Object.entries(secrets)) {
      await writeFile(join(dir, 'secrets', name), value);
      await chmod(join(dir, 'secrets', name), 0o644);
    }
    const override = join(repoRoot, 'test', 'docker', 'compose', `${example}.override.yaml`);
    return new ComposeProject(dir, override, env);
  }

  async compose(args: string[], input?: string): Promise<DockerResult> {
    const result = await execa(
      '/usr/bin/docker-compose',
      ['-p', this.project, '-f', 'compose.yaml', '-f', this.override, ...args],
      {
        cwd: this.dir,
        env: { ...dockerEnv(), ...this.env },
        reject: false,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      },
    );
    return {
      exitCode: result.exitCode ?? -1,
      stdout: String(result.stdout),
      stderr: String(result.stderr),
    };
  }

  /** Like compose(), but a non-zero exit is an error with the command's output. */
  async check(args: string[], input?: string): Promise<DockerResult> {
    const result = await this.compose(args, input);
    if (result.exitCode !== 0)
      throw new Error(
        `docker-compose ${args.join(' ')} exited ${result.exitCode}:\n${result.stdout}\n${result.stderr}`,
      );
    return result;
  }

  /** `docker-compose down -v`: containers, the project's volumes and networks go. */
  async down(): Promise<void> {
    await this.compose(['down', '-v', '-t', '5', '--remove-orphans']);
  }
}
