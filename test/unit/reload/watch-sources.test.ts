import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchAssemblyManifest, watchProject } from '../../../local/reload/watch-sources.ts';

/** Resolves with the next batch of changes, or fails after `timeoutMs`. */
function nextBatch(batches: string[][], count: number, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (batches.length > count) resolve(batches[count]!);
      else if (Date.now() > deadline) reject(new Error(`no change batch ${count + 1} within ${timeoutMs} ms; got ${JSON.stringify(batches)}`));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('watchProject', () => {
  it('reports edits in the project, settled into one batch, and never those under ignored folders', async () => {
    const root = mkdtempSync(join(tmpdir(), 'watch-project-'));
    for (const dir of ['resolvers', 'node_modules/pkg', 'cdk.out', 'state']) mkdirSync(join(root, dir), { recursive: true });
    const batches: string[][] = [];
    const watch = watchProject(root, { ignore: [join(root, 'state')], debounceMs: 300, onChange: (files) => batches.push(files) });
    try {
      writeFileSync(join(root, 'node_modules/pkg/index.js'), 'x');
      writeFileSync(join(root, 'cdk.out/manifest.json'), '{}');
      writeFileSync(join(root, 'state/port'), '1');
      writeFileSync(join(root, 'resolvers/a.js'), 'a');
      writeFileSync(join(root, 'schema.graphql'), 'type Query { a: Int }');
      const batch = await nextBatch(batches, 0);
      expect(batch).toEqual(expect.arrayContaining([join(root, 'resolvers/a.js'), join(root, 'schema.graphql')]));
      expect(batch.filter((file) => /node_modules|cdk\.out|state/.test(file))).toEqual([]);

      // A folder made after the start is watched too.
      mkdirSync(join(root, 'lambda'));
      await nextBatch(batches, 1);
      writeFileSync(join(root, 'lambda/index.mjs'), 'export const handler = () => 1;');
      expect(await nextBatch(batches, 2)).toContain(join(root, 'lambda/index.mjs'));
    } finally {
      watch.close();
    }
  });
});

describe('watchAssemblyManifest', () => {
  it('reports a new manifest.json (written through a rename) and nothing else of the assembly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watch-assembly-'));
    const batches: string[][] = [];
    const watch = watchAssemblyManifest(dir, { debounceMs: 50, onChange: (files) => batches.push(files) });
    try {
      writeFileSync(join(dir, 'Stack.template.json'), '{}');
      writeFileSync(join(dir, 'manifest.json.tmp'), '{}');
      const { renameSync } = await import('node:fs');
      renameSync(join(dir, 'manifest.json.tmp'), join(dir, 'manifest.json'));
      expect(await nextBatch(batches, 0)).toEqual([join(dir, 'manifest.json')]);
    } finally {
      watch.close();
    }
  });
});
