// A suite that must fail: proves the harness reports a failing extension-host run as a failure.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  assert.equal(vscode.workspace.name, 'this is not the workspace name', 'deliberate failure');
}
