import type { Ctx } from './ctx';
import type { Host } from './hosts';
import { HEALTH_LABEL, statusLines } from './status-text';
import type { CommandResult } from './run-commands';
import { reportError, runNow } from './run-commands';

/** Show status: reads it now, says it in one notification with "Run now". */
export async function showStatus(ctx: Ctx, host: Host): Promise<CommandResult> {
  const status = await ctx.status.refresh(host);
  if (status.error) return reportError(ctx, host, status.error);
  const summary = `${HEALTH_LABEL[status.health]} — ${statusLines(status).join('; ')}`;
  void ctx
    .prompts()
    .info(`${host.label}: ${summary}`, 'Run now', 'Show log')
    .then((action) => {
      if (action === 'Run now') void runNow(ctx, host);
      if (action === 'Show log') ctx.output.show(host);
    });
  return {
    ok: true,
    host: host.label,
    summary,
    records: status.record ? [status.record] : [],
    exitCode: 0,
  };
}

export function openLog(ctx: Ctx, host: Host): CommandResult {
  ctx.output.show(host);
  return { ok: true, host: host.label, summary: 'log shown', records: [], exitCode: 0 };
}

export function cancelRun(ctx: Ctx, host: Host): CommandResult {
  const cancelled = ctx.runs.cancel(host);
  if (!cancelled) void ctx.prompts().info(`${host.label}: nothing runs there from this window`);
  return {
    ok: true,
    host: host.label,
    summary: cancelled ? 'cancel sent' : 'nothing to cancel',
    records: [],
    exitCode: 0,
  };
}
