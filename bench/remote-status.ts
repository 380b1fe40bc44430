// Status of 10 hosts (10 sshd on 127.0.0.1): one poll of all of them with the extension's reused
// sessions vs one ssh connection per request, side by side over several polls.
//
//   npx tsx bench/remote-status.ts [--hosts 10] [--polls 5]
void import('./remote/status');
