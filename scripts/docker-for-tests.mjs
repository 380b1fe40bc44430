// The Docker engine for a test run (scripts/test.mjs): when test/docker is among the files, start
// the private engine (scripts/docker-engine.sh) once for the whole run, make the images
// (scripts/docker-images.sh), and hand DOCKER_HOST to the test processes. When the engine cannot
// start, the reason goes to the tests in BACKUP_YAML_DOCKER_ERROR and every Docker test fails with
// it: a machine without Docker must not pass by skipping them.
import { join } from 'node:path';
import { execa } from 'execa';

/** Returns a function that stops the engine when this run started it (a no-op otherwise). */
export async function dockerForTests(root, files) {
  const dockerDir = join(root, 'test', 'docker');
  if (!files.some((file) => file.startsWith(`${dockerDir}/`))) return async () => {};
  const started = Date.now();
  const script = (name) => join(root, 'scripts', name);
  let ours = false;
  const stop = async () => {
    if (ours) await execa('bash', [script('docker-engine.sh'), 'stop'], { reject: false });
    ours = false;
  };
  try {
    const engine = await execa('bash', [script('docker-engine.sh'), 'start'], { all: true });
    const lines = String(engine.stdout).trim().split('\n');
    ours = lines.at(-1) === 'started';
    const host = lines.find((line) => line.startsWith('DOCKER_HOST='));
    process.env.DOCKER_HOST = host.slice('DOCKER_HOST='.length);
    await execa('bash', [script('docker-images.sh')], { stdio: 'inherit', env: process.env });
    console.log(
      `docker: engine ${ours ? 'started' : 'reused'} and images ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } catch (error) {
    const reason = error?.all || error?.stderr || error?.message || String(error);
    process.env.BACKUP_YAML_DOCKER_ERROR = `the Docker engine or its images could not be made ready: ${String(reason).slice(-2000)}`;
    console.error(`docker: ${process.env.BACKUP_YAML_DOCKER_ERROR}`);
  }
  // Stop the engine on the way out, also when the run is interrupted.
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => void stop().finally(() => process.exit(130)));
  return stop;
}
