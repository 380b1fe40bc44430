import type { BackupsNode } from './backups-nodes';
import type { BackupsView } from './backups-view';
import type { HostPicker } from './host-picker';
import type { HostRunner } from './host-run';
import type { HostSessions } from './host-sessions';
import type { HostStatusStore } from './host-status';
import type { HostsView } from './hosts-view';
import type { HostOutput } from './output';
import type { Prompts } from './prompts';

/** What the commands share (rust-analyzer's Ctx): sessions, runs, status, output, UI. */
export interface Ctx {
  sessions: HostSessions;
  runs: HostRunner;
  status: HostStatusStore;
  output: HostOutput;
  picker: HostPicker;
  view: HostsView;
  prompts(): Prompts;
  /** The Backups view's data provider, and what is selected in it. */
  backups: { data: BackupsView['data']; view: BackupsView; selection(): readonly BackupsNode[] };
}
