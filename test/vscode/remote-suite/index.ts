// The remote extension-host suite (hosts over SSH); test/vscode/remote.test.ts starts its hosts.
export { run } from '../suite/index';
