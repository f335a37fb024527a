import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { synthesize } from '../local/assembly/synth.ts';
import { readAppResources } from './assembly.ts';
import { estimate } from './model/estimate.ts';
import { formatReport } from './model/format.ts';
import { parseProfile, ProfileError } from './model/profile.ts';
import type { Calibration, PriceBook } from './model/types.ts';

const USAGE = `Prices Pricestream for a workload profile, from the synthesized CDK app.

Usage:
  npm run cost -- --profile <file.json> [--json] [--assembly <cdk.out>] [--load <multiple>]
  npm run cost -- --calibrate [--seconds <n>]

  --profile    a workload profile (cost/profiles/demo.json, cost/profiles/50k-phones.json)
  --json       one JSON object: monthlyUsd (total and per service), perMillionDeliveredUsd, firstLimit, …
  --assembly   a synthesized cloud assembly; default: synthesize infra/ into .local/cost/cdk.out
  --load       price the profile at this load multiple (default 1)
  --calibrate  run the local system under a short feed and write cost/calibration.json
  --seconds    how long --calibrate feeds the system (default 25)`;

const COST_DIR = import.meta.dirname;
const PROJECT_DIR = resolve(COST_DIR, '..');

let args;
try {
  args = parseArgs({
    options: {
      profile: { type: 'string' },
      json: { type: 'boolean', default: false },
      assembly: { type: 'string' },
      load: { type: 'string' },
      calibrate: { type: 'boolean', default: false },
      seconds: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`);
  process.exit(2);
}

if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

try {
  if (args.calibrate) {
    const { calibrate } = await import('./calibrate.ts');
    await calibrate({ projectDir: PROJECT_DIR, seconds: args.seconds ? Number(args.seconds) : 25, out: join(COST_DIR, 'calibration.json') });
    process.exit(0);
  }
  if (!args.profile) {
    console.error(`--profile <file.json> is required\n\n${USAGE}`);
    process.exit(2);
  }
  const load = args.load === undefined ? 1 : Number(args.load);
  if (!Number.isFinite(load) || load <= 0) throw new Error(`--load must be a positive number, got "${args.load}"`);
  const profile = parseProfile(readJson(args.profile, 'profile'), args.profile);
  const prices = readJson(join(COST_DIR, 'prices.us-east-1.json'), 'prices') as PriceBook;
  const calibrationFile = join(COST_DIR, 'calibration.json');
  const calibration = existsSync(calibrationFile) ? (readJson(calibrationFile, 'calibration') as Calibration) : undefined;
  const assemblyDir = args.assembly ?? (await synthesizeApp(args.json));
  const report = estimate({ app: readAppResources(assemblyDir), profile, prices, ...(calibration && { calibration }), loadMultiple: load });
  console.log(args.json ? JSON.stringify(report, null, 2) : formatReport(report));
} catch (error) {
  console.error(error instanceof ProfileError ? `invalid profile: ${error.message}` : (error as Error).message);
  process.exit(1);
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new Error(`${what} file ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${what} file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** As npm start does: the CDK app of cdk.json, synthesized into the project's .local folder. */
async function synthesizeApp(quiet: boolean): Promise<string> {
  const outDir = join(PROJECT_DIR, '.local', 'cost', 'cdk.out');
  mkdirSync(outDir, { recursive: true });
  return synthesize({ projectDir: PROJECT_DIR, outDir, log: (line) => (quiet ? undefined : console.error(`[cost] ${line}`)) });
}
