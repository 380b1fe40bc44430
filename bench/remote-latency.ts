// Command → first progress event of a run, over SSH and locally, side by side (issue 8's target:
// over SSH with the runner already on the host ≤ 1.5 × local + one SSH handshake). Contenders,
// interleaved each round, each cancelled (stdin closed) as soon as its first step starts:
//   local          node backup-runner run --json on this machine
//   ssh, one-shot  ssh host <runner> run --json --cancel-on-eof (a handshake per command)
//   session, new   the extension's first command on a host: connect, probe, serve, request
//   session, warm  a command over the extension's open session to the host (no handshake)
//   handshake      ssh host true
//
//   npx tsx bench/remote-latency.ts [--rounds 7]
void import('./remote/latency');
