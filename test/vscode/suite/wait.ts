import * as vscode from 'vscode';

/** Resolves with the diagnostics of `uri` once `accept` holds, or rejects after `timeoutMs`. */
export function waitForDiagnostics(
  uri: vscode.Uri,
  accept: (diagnostics: readonly vscode.Diagnostic[]) => boolean,
  timeoutMs = 30_000,
): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return false;
      listener.dispose();
      clearTimeout(timer);
      resolve(diagnostics);
      return true;
    };
    const listener = vscode.languages.onDidChangeDiagnostics(() => check());
    const timer = setTimeout(() => {
      listener.dispose();
      const seen = vscode.languages
        .getDiagnostics(uri)
        .map((d) => `${d.range.start.line}:${String(d.code)}`);
      reject(
        new Error(
          `timed out waiting for diagnostics of ${uri.toString()}; have [${seen.join(', ')}]`,
        ),
      );
    }, timeoutMs);
    check();
  });
}

export function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder)
    throw new Error('the extension-host tests need a workspace folder (test/vscode/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}
