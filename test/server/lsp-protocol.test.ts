import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';
import type {
  ProtocolConnection,
  PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import {
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentSymbolRequest,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import { validateSpec } from '../../runner/src/spec/index';
import { fixture, repoRoot } from '../support/paths';
import { DiagnosticsInbox } from './support/diagnostics-inbox';

const asSpecDiagnostics = (text: string) =>
  validateSpec(text).diagnostics.map((d) => ({
    range: d.range,
    code: d.code,
    message: d.message,
    severity: d.severity,
  }));
const severityName = ['', 'error', 'warning', 'info', 'hint'];
const fromLsp = (params: PublishDiagnosticsParams) =>
  params.diagnostics.map((d) => ({
    range: d.range,
    code: d.code,
    message: d.message,
    severity: severityName[d.severity ?? 0],
  }));

describe('language server over stdio (npx backup-yaml-language-server --stdio)', () => {
  let server: ResultPromise;
  let connection: ProtocolConnection;
  const inbox = new DiagnosticsInbox();

  before(async () => {
    server = execa('npx', ['--no-install', 'backup-yaml-language-server', '--stdio'], {
      cwd: repoRoot,
      reject: false,
      buffer: false,
    });
    if (!server.stdout || !server.stdin) throw new Error('the server has no stdio');
    connection = createProtocolConnection(
      new StreamMessageReader(server.stdout),
      new StreamMessageWriter(server.stdin),
    );
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => inbox.push(params));
    connection.listen();
  });

  after(async () => {
    connection.dispose();
    server.kill();
    await server;
  });

  test('initialize answers with incremental sync and the server name', async () => {
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: {},
    });
    assert.equal(result.serverInfo?.name, 'backup-yaml-language-server');
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: 2 });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  test('didOpen publishes exactly the diagnostics of backup-runner validate', async () => {
    for (const name of [
      'unknown-keys.yaml',
      'secrets.yaml',
      'yaml-aliases.yaml',
      'clean-full.yaml',
    ]) {
      const text = readFileSync(fixture(name), 'utf8');
      const uri = `file:///work/${name}`;
      const published = inbox.next(uri);
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'backup-yaml', version: 1, text },
      });
      const params = await published;
      assert.equal(params.version, 1);
      assert.deepEqual(fromLsp(params), asSpecDiagnostics(text), name);
      assert.ok(params.diagnostics.every((d) => d.source === 'backup-yaml'));
    }
  });

  test('didChange (incremental) re-validates: fixing a typo removes its diagnostic, a new typo adds one', async () => {
    const text = readFileSync(fixture('clean-minimal.yaml'), 'utf8').replace(
      '    path:',
      '    pth:',
    );
    const uri = 'file:///work/change/backup.yaml';
    const opened = inbox.next(uri);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'backup-yaml', version: 1, text },
    });
    assert.deepEqual(
      (await opened).diagnostics.map((d) => d.code),
      ['unknown-key'],
    );

    const line = text.split('\n').findIndex((l) => l.includes('pth:'));
    const fixed = inbox.next(uri);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [
        { range: { start: { line, character: 4 }, end: { line, character: 7 } }, text: 'path' },
      ],
    });
    const afterFix = await fixed;
    assert.equal(afterFix.version, 2);
    assert.deepEqual(afterFix.diagnostics, []);

    const broken = inbox.next(uri);
    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 3 },
      contentChanges: [
        { range: { start: { line: 0, character: 9 }, end: { line: 0, character: 10 } }, text: '7' },
      ],
    });
    const afterBreak = await broken;
    assert.equal(afterBreak.version, 3);
    assert.deepEqual(
      afterBreak.diagnostics.map((d) => [d.code, d.range.start.line]),
      [['invalid-value', 0]],
    );
  });

  test('rapid changes are debounced into one publication of the last version', async () => {
    const uri = 'file:///work/debounce/backup.yaml';
    const text = readFileSync(fixture('clean-minimal.yaml'), 'utf8');
    const opened = inbox.next(uri);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'backup-yaml', version: 1, text },
    });
    await opened;
    const before = inbox.received.length;
    const published = inbox.next(uri);
    for (let version = 2; version <= 11; version++) {
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: [{ text: `${text}# edit ${version}\n` }],
      });
    }
    const params = await published;
    assert.equal(params.version, 11);
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.equal(inbox.received.slice(before).filter((p) => p.uri === uri).length, 1);
  });

  test('the bundled server declares and answers the language features', async () => {
    const uri = 'file:///work/features/backup.yaml';
    const text = readFileSync(fixture('clean-minimal.yaml'), 'utf8') + "schedule: '0 3 * * *'\n";
    const opened = inbox.next(uri);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'backup-yaml', version: 1, text },
    });
    await opened;
    const lines = text.split('\n');
    const scheduleLine = lines.findIndex((line) => line.startsWith('schedule:'));
    const hover = await connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: scheduleLine, character: 1 },
    });
    const markdown =
      hover && typeof hover.contents === 'object' && 'value' in hover.contents
        ? hover.contents.value
        : '';
    assert.match(markdown, /At 03:00/, 'cronstrue is in the bundle');
    const items = await connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line: lines.length - 1, character: 0 },
    });
    const labels = (Array.isArray(items) ? items : (items?.items ?? [])).map((item) => item.label);
    assert.ok(
      labels.includes('retention') && !labels.includes('targets') && !labels.includes('schedule'),
      labels.join(', '),
    );
    const symbols = await connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    });
    assert.ok((symbols ?? []).some((symbol) => symbol.name === 'sources'));
  });

  test('didClose clears the document diagnostics', async () => {
    const uri = 'file:///work/unknown-keys.yaml';
    const cleared = inbox.next(uri);
    await connection.sendNotification(DidCloseTextDocumentNotification.type, {
      textDocument: { uri },
    });
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('shutdown and exit end the process with status 0', async () => {
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
    const result = await server;
    assert.equal(result.exitCode, 0);
  });
});
