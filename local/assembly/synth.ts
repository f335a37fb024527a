import { spawn } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

export interface SynthOptions {
  /** Folder holding cdk.json. */
  projectDir: string;
  /** Where the cloud assembly is written. */
  outDir: string;
  /**
   * `false` skips the CloudFormation validation aws-cdk-lib runs after synthesis (most of a
   * small app's synthesis CPU), as the CDK CLI's `--no-validation` does: it sets
   * CDK_VALIDATION=false for the app (aws-cdk lib/index.js, synthParametersFromSettings).
   * Default `true`.
   */
  validation?: boolean;
  /** Context values over cdk.json's, as `cdk synth -c key=value` gives them (e.g. a benchmark's variant of the app). */
  context?: Record<string, unknown>;
  log?: (line: string) => void;
}

/**
 * Synthesizes a CDK app the way the CDK CLI does: runs cdk.json's `app` command with
 * CDK_OUTDIR and CDK_CONTEXT_JSON set. The runtime thus depends only on cdk.json, never
 * on the app's code.
 */
export async function synthesize({ projectDir, outDir, validation = true, context = {}, log = () => {} }: SynthOptions): Promise<string> {
  const cdkJsonPath = join(projectDir, 'cdk.json');
  if (!existsSync(cdkJsonPath)) {
    throw new Error(`cannot synthesize: ${resolve(projectDir)} has no cdk.json (or pass --assembly <cdk.out folder>)`);
  }
  const cdkJson = JSON.parse(readFileSync(cdkJsonPath, 'utf8')) as { app?: string; context?: Record<string, unknown> };
  if (!cdkJson.app) throw new Error(`${cdkJsonPath} has no "app" command to synthesize`);
  const out = resolve(outDir);
  mkdirSync(out, { recursive: true });
  log(`synthesizing the CDK app (${cdkJson.app})`);
  const started = Date.now();
  await new Promise<void>((done, fail) => {
    const child = spawn(cdkJson.app!, {
      cwd: projectDir,
      shell: true,
      stdio: ['ignore', 'inherit', 'pipe'],
      env: {
        ...process.env,
        // The app's `node` is the one running us (Node 24), whatever the shell's PATH says.
        PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}`,
        CDK_OUTDIR: out,
        CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJson.context, ...context }),
        CDK_DISABLE_VERSION_CHECK: '1',
        ...(!validation && { CDK_VALIDATION: 'false' }),
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      if (code === 0) done();
      else fail(new Error(`synthesis failed (${cdkJson.app} exited with ${signal ?? code}):\n${stderr.trim()}`));
    });
  });
  log(`synthesized into ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}
