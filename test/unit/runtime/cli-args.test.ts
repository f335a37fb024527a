import { describe, expect, it } from 'vitest';
import { parseRuntimeArgs } from '../../../local/cli-args.ts';

describe('the command-line options of appsync-local', () => {
  it('maps the options onto the runtime options', () => {
    expect(parseRuntimeArgs(['--assembly', 'cdk.out', '--port', '0', '--in-memory', '--state-dir', 's'])).toEqual({
      help: false,
      options: { assemblyDir: 'cdk.out', stateDir: 's', persistent: false, port: 0 },
    });
  });

  it('seeds users given as name:password[:groups], repeatable', () => {
    const parsed = parseRuntimeArgs(['--user', 'alice:Passw0rd!', '--user', 'bob:S3cret!:admins,editors']);
    expect(parsed.help === false && parsed.options.users).toEqual([
      { username: 'alice', password: 'Passw0rd!' },
      { username: 'bob', password: 'S3cret!', groups: ['admins', 'editors'] },
    ]);
  });

  it('refuses a user without a password and a port out of range, saying what it takes', () => {
    expect(() => parseRuntimeArgs(['--user', 'alice'])).toThrow('--user takes <name>:<password>[:<group>,…]; got alice');
    expect(() => parseRuntimeArgs(['--port', '70000'])).toThrow('--port must be a whole number from 0 to 65535; got 70000');
  });
});
