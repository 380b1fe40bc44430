import type { RunnerErrorCode } from '../error-codes';
import type { Result } from '../result';
import { fail } from '../result';

/** A database source type's codes for a `docker exec` into its `container:` that failed. */
export interface ContainerFailureCodes {
  missing: RunnerErrorCode;
  stopped: RunnerErrorCode;
  unavailable: RunnerErrorCode;
  /** When the type tells a container without its dump tool apart: the code and its hint. */
  toolMissing?: { code: RunnerErrorCode; hint: string };
}

/**
 * Why `docker exec` could not run in the container, told apart by what the daemon says: the
 * container does not exist, it exists but is not running, it has no such tool, or something
 * else (the engine, permissions).
 */
export function containerFailure(
  type: string,
  container: string,
  name: string,
  stderr: string,
  codes: ContainerFailureCodes,
): Result<never> {
  const message = `${type} source "${name}": docker exec in ${container} failed: ${stderr}`;
  if (/no such container/i.test(stderr))
    return fail(codes.missing, message, {
      subject: name,
      hint: 'check `container:` (docker ps -a lists the names; Compose v1 names them project_service_1, v2 project-service-1)',
    });
  if (/is not running|is paused|is restarting/i.test(stderr))
    return fail(codes.stopped, message, {
      subject: name,
      hint: 'start the database container before the backup',
    });
  if (codes.toolMissing && /not found|no such file/i.test(stderr))
    return fail(codes.toolMissing.code, message, { subject: name, hint: codes.toolMissing.hint });
  return fail(codes.unavailable, message, {
    subject: name,
    hint: 'is the Docker engine running, and may this user use docker?',
  });
}
