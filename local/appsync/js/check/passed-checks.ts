// Code that passed every save-time check, remembered on disk so that the next start of the
// runtime (or the next test file) need not build a TypeScript program over it and lint it
// again: that was ~0.8 CPU-s of a 30-resolver app's start, most of the start's own work.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/**
 * Only passes are remembered: rejected code is checked again, so its problems are always
 * reported in full. A pass counts only for the checker that gave it: the key covers the
 * versions of the packages that check (and the declarations the type-aware rules read) and
 * the source of the whole APPSYNC_JS runtime folder, whose module list the import rule reads.
 */
export interface PassedChecks {
  /** Whether this exact code passed the checks of this exact checker before. */
  passed(code: string): boolean;
  remember(code: string): void;
}

const CHECKER_PACKAGES = ['typescript', 'eslint', '@typescript-eslint/parser', 'espree', '@aws-appsync/eslint-plugin', '@aws-appsync/utils'];
/** appsync/js/: the checks, their rules and the modules they check imports against. */
const RUNTIME_FOLDER = dirname(import.meta.dirname);

/** Passes remembered in `dir`, one empty file per code, named by the hash of checker and code. */
export function passedChecksIn(dir: string): PassedChecks {
  const entry = (code: string) => join(dir, createHash('sha256').update(checkerFingerprint()).update('\0').update(code).digest('hex'));
  return {
    passed: (code) => existsSync(entry(code)),
    remember(code) {
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(entry(code), '');
      } catch {
        // Only a later start's speed depends on this file (a read-only folder, a full disk):
        // the code has passed, and will be checked again next time.
      }
    },
  };
}

let fingerprint: string | undefined;

/** The checker's identity: its packages' versions and the runtime folder's source. */
export function checkerFingerprint(): string {
  if (fingerprint) return fingerprint;
  const require = createRequire(import.meta.url);
  const hash = createHash('sha256');
  for (const name of CHECKER_PACKAGES) hash.update(`${name}@${(require(`${name}/package.json`) as { version: string }).version}\n`);
  for (const file of sourceFiles(RUNTIME_FOLDER)) hash.update(`${relative(RUNTIME_FOLDER, file)}\n`).update(readFileSync(file));
  return (fingerprint = hash.digest('hex'));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
