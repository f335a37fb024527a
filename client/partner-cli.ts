import { runPartnerCommand } from './cli/partner-command.ts';

/** `npm run partner -- ...`: see client/cli/partner-command.ts. */
process.exitCode = await runPartnerCommand(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  isTty: Boolean(process.stdout.isTTY),
});
