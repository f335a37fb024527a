import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One package for the browser, Node and React Native: sdk/live-markets imports only its own
 * modules, the generated operation types and aws-amplify — no `node:` module, nothing else.
 */

const ROOT = new URL('../../../sdk/', import.meta.url).pathname;

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('sdk/live-markets', () => {
  it('imports nothing platform-specific', () => {
    const files = [...readdirSync(join(ROOT, 'live-markets')).map((f) => join(ROOT, 'live-markets', f)), join(ROOT, 'generated', 'operations.ts')].filter((f) => f.endsWith('.ts'));
    const foreign = files.flatMap((file) => imports(file).filter((spec) => !spec.startsWith('./') && !spec.startsWith('../generated/') && !/^aws-amplify(\/|$)/.test(spec)).map((spec) => `${file}: ${spec}`));
    expect(files.length).toBeGreaterThan(5);
    expect(foreign).toEqual([]);
  });
});
