import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { synthesize } from '../../../local/assembly/synth.ts';

const dir = mkdtempSync(join(tmpdir(), 'synth-context-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthesize', () => {
  it('gives the app cdk.json context with the caller\'s values over it, as `cdk synth -c` does', async () => {
    // An "app" that writes the context it was given into its output folder.
    const app = `node -e "require('fs').writeFileSync(process.env.CDK_OUTDIR + '/context.json', process.env.CDK_CONTEXT_JSON)"`;
    writeFileSync(join(dir, 'cdk.json'), JSON.stringify({ app, context: { kept: 'from cdk.json', priceConflationWindowMs: 250 } }));
    const out = await synthesize({ projectDir: dir, outDir: join(dir, 'out'), context: { priceConflationWindowMs: 0 } });
    expect(JSON.parse(readFileSync(join(out, 'context.json'), 'utf8'))).toEqual({ kept: 'from cdk.json', priceConflationWindowMs: 0 });
  });
});
