import { runFeedCommand } from './cli/feed-command.ts';

/** `npm run feed -- <file> --rate N`: see client/cli/feed-command.ts. */
const abort = new AbortController();
process.once('SIGINT', () => abort.abort(new Error('interrupted (Ctrl-C)')));
process.exitCode = await runFeedCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
  signal: abort.signal,
});
