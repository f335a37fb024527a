import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Where function output goes when a person watches the console: every line to `file`, and
 * the lines a person should see at once — errors, warnings, timeouts — to `echo` as well.
 * The file starts empty on each run.
 */
export function functionLogTo(file: string, echo: (line: string) => void): (line: string) => void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  return (line) => {
    appendFileSync(file, `${line}\n`);
    if (/\b(ERROR|WARN)\b|"level":"(ERROR|WARN)"|Task timed out|no local access key/.test(line)) echo(line);
  };
}
