import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createPricestreamApp } from '../../infra/pricestream-app.ts';
import type { PricestreamStack } from '../../infra/pricestream-stack.ts';

export interface SynthesizedApp {
  stack: PricestreamStack;
  template: Template;
  /** The raw template, for lookups the assertions library has no matcher for. */
  json: { Resources: Record<string, { Type: string; Properties?: Record<string, any>; Metadata?: Record<string, any> }>; Outputs: Record<string, any> };
  assembly: CloudAssembly;
  outdir: string;
  cleanup(): void;
}

/** Synthesizes the app as `cdk synth` does (cdk-nag included) into a temp folder. */
export function synthesizeApp(): SynthesizedApp {
  const outdir = mkdtempSync(join(tmpdir(), 'pricestream-infra-test-'));
  const context = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')).context;
  const { app, stack } = createPricestreamApp({ outdir, context });
  const assembly = app.synth();
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    json: template.toJSON() as SynthesizedApp['json'],
    assembly,
    outdir,
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

/** The logical id of the one resource of `type` whose properties satisfy `match`. */
export function logicalIdOf(app: SynthesizedApp, type: string, match: (props: Record<string, any>) => boolean): string {
  const found = Object.entries(app.json.Resources).filter(([, r]) => r.Type === type && match(r.Properties ?? {}));
  if (found.length !== 1) throw new Error(`expected one ${type} matching, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0]![0];
}
