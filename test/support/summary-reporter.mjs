// A node:test reporter that counts leaf tests and writes one JSON line for scripts/test.mjs,
// which prints it last as "N passed, N failed".
export default async function* summaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, todo: 0 };
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { details, skip, todo } = event.data;
    // Suites (describe) and file wrappers are containers; their leaves are counted.
    if (details?.type === 'suite') continue;
    if (event.type === 'test:fail') counts.failed++;
    else if (skip) counts.skipped++;
    else if (todo) counts.todo++;
    else counts.passed++;
  }
  yield `${JSON.stringify(counts)}\n`;
}
