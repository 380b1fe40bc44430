import type { DiagnosticReporter } from '../reporter';
import { checkPathOverlap } from './paths';
import { asRecord } from './read';
import { checkRepositories } from './repository';
import { checkRetention } from './retention';
import { checkSchedule } from './schedule';
import { checkCommands, checkReservedNames } from './names';
import { checkPingUrl, checkSecrets } from './secrets';
import { checkArchive, checkSourceReferences, checkSqliteCopy } from './sources';

/** Checks the schema cannot express. Each reads defensively and skips what is malformed. */
export function reportSemanticProblems(value: unknown, reporter: DiagnosticReporter): void {
  const root = asRecord(value);
  if (!root) return;
  checkSecrets(root, reporter);
  checkPingUrl(root, reporter);
  checkReservedNames(root, reporter);
  checkCommands(root, reporter);
  checkRetention(root, reporter);
  checkSchedule(root, reporter);
  checkRepositories(root, reporter);
  checkPathOverlap(root, reporter);
  checkSqliteCopy(root, reporter);
  checkSourceReferences(root, reporter);
  checkArchive(root, reporter);
}
