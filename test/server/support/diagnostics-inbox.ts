import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

/** Collects publishDiagnostics and lets a test wait for the next one of a document. */
export class DiagnosticsInbox {
  private readonly waiting: { uri: string; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly received: PublishDiagnosticsParams[] = [];

  push(params: PublishDiagnosticsParams): void {
    this.received.push(params);
    const index = this.waiting.findIndex((w) => w.uri === params.uri);
    if (index >= 0) this.waiting.splice(index, 1)[0]?.resolve(params);
  }

  next(uri: string): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ uri, resolve });
      setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), 10_000).unref();
    });
  }
}
