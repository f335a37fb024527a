import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { workerEntry } from '../../../local/lambda/worker-entry.ts';

describe('the Lambda worker entry, run from source', () => {
  it('is the bootstrap bundled into one JavaScript module, so a cold start never loads the type stripper', () => {
    const entry = workerEntry();
    expect(entry.pathname).toMatch(/\/bootstrap-[0-9a-f]{16}\.mjs$/);
    expect(existsSync(fileURLToPath(entry))).toBe(true);
    const code = readFileSync(fileURLToPath(entry), 'utf8');
    // The bootstrap's own modules are inside it: nothing is imported from a .ts file.
    expect(code).not.toMatch(/from ["'][^"']+\.ts["']/);
    expect(code).toContain('parentPort');
    expect(workerEntry()).toBe(entry);
  });
});
