import { execa } from 'execa';

/**
 * Runs a command and reports the most memory it (or the largest of its descendants that was
 * waited for) held: getrusage(RUSAGE_CHILDREN).ru_maxrss of a python3 parent, in bytes.
 */
export async function maxRss(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ exitCode: number; stdout: string; stderr: string; maxRssBytes: number }> {
  const script = [
    'import resource, subprocess, sys',
    'r = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)',
    'sys.stdout.buffer.write(r.stdout)',
    'sys.stderr.buffer.write(r.stderr)',
    'sys.stderr.write("\\nMAXRSS_KB=%d\\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)',
    'sys.exit(r.returncode)',
  ].join('\n');
  const result = await execa('python3', ['-c', script, ...argv], { env, reject: false });
  const stderr = String(result.stderr);
  const kb = Number(/MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: stderr.replace(/\nMAXRSS_KB=\d+\n?$/, ''),
    maxRssBytes: kb * 1024,
  };
}
