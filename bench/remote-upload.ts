// First use of a host: the extension uploads its runner (the self-contained executable when the
// host has no Node 20, else the small JS bundle) and starts a session; seconds and bytes sent,
// against a plain ssh handshake to the same host.
//
//   npx tsx bench/remote-upload.ts [--rounds 3]
void import('./remote/upload');
