import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureLocalTls } from './local-ca.ts';

/**
 * `npm run trust-ca`: makes this machine's browsers and tools trust the local CA, as mkcert
 * does (github.com/FiloSottile/mkcert, truststore_linux.go and truststore_nss.go):
 * - the system store: the CA copied into the distro's anchors folder and the bundle rebuilt
 *   (Debian/Ubuntu update-ca-certificates; Fedora/RHEL/Arch update-ca-trust), as root or through sudo;
 * - the NSS stores browsers read on Linux: Chrome/Chromium's $HOME/.pki/nssdb (created when
 *   missing) and every Firefox profile, through certutil.
 * Each step is idempotent (a store that has it is left alone) and reports what it did, or what it
 * could not do and why. `--uninstall` removes it from the same places.
 */

export type Outcome = 'added' | 'already' | 'removed' | 'absent' | 'skipped' | 'failed';

export interface StepReport {
  store: string;
  outcome: Outcome;
  detail: string;
}

/** Runs a program; the tests give their own. */
export type Runner = (command: string, args: string[], options?: { interactive?: boolean }) => { status: number | null; output: string; missing: boolean };

export interface TrustOptions {
  caPath: string;
  /** Whose NSS stores: $HOME of the user (a test points it at a temp folder). */
  home: string;
  uninstall?: boolean;
  /** Leave the system store alone (browsers' NSS stores only). */
  skipSystem?: boolean;
  /** Prefix of the system paths (/usr/local/share/ca-certificates, …); '/' on a real machine. */
  systemRoot?: string;
  isRoot?: boolean;
  platform?: NodeJS.Platform;
  run?: Runner;
}

export const runProgram: Runner = (command, args, options = {}) => {
  const result: SpawnSyncReturns<string> = spawnSync(command, args, { encoding: 'utf8', stdio: options.interactive ? 'inherit' : 'pipe' });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim(), missing };
};

/** The certificate's name in NSS stores and the system anchors: stable per CA, so re-runs find it. */
export function caIdentity(caPath: string): { nickname: string; fileStem: string; fingerprint: string } {
  const cert = new X509Certificate(readFileSync(caPath));
  const short = cert.fingerprint256.replaceAll(':', '').slice(0, 12).toLowerCase();
  return { nickname: `Pricestream local CA ${short}`, fileStem: `pricestream-local-ca-${short}`, fingerprint: cert.fingerprint256 };
}

export function trustCa(options: TrustOptions): StepReport[] {
  const reports: StepReport[] = [];
  if (!options.skipSystem) reports.push(systemStore(options));
  reports.push(...nssStores(options));
  return reports;
}

/** Whether the CA is in the system store and in Chrome's NSS store (undefined: cannot tell). */
export function trustStatus(caPath: string, home = homedir(), run: Runner = runProgram, systemRoot = '/'): { system: boolean | undefined; nss: boolean | undefined } {
  const id = caIdentity(caPath);
  const distro = systemDistro(systemRoot);
  const system = distro ? existsSync(join(distro.anchors, `${id.fileStem}${distro.extension}`)) : undefined;
  const db = join(home, '.pki', 'nssdb');
  if (!existsSync(join(db, 'cert9.db'))) return { system, nss: false };
  const listed = run('certutil', ['-L', '-d', `sql:${db}`, '-n', id.nickname]);
  return { system, nss: listed.missing ? undefined : listed.status === 0 };
}

interface Distro {
  name: string;
  anchors: string;
  extension: string;
  update: [string, ...string[]];
}

function systemDistro(root: string): Distro | undefined {
  const at = (path: string) => join(root, path);
  if (existsSync(at('usr/sbin/update-ca-certificates')) && existsSync(at('usr/local/share/ca-certificates'))) {
    return { name: 'Debian/Ubuntu', anchors: at('usr/local/share/ca-certificates'), extension: '.crt', update: ['update-ca-certificates'] };
  }
  for (const anchors of ['etc/pki/ca-trust/source/anchors', 'etc/ca-certificates/trust-source/anchors']) {
    if (existsSync(at(anchors))) return { name: anchors.startsWith('etc/pki') ? 'Fedora/RHEL' : 'Arch', anchors: at(anchors), extension: '.pem', update: ['update-ca-trust', 'extract'] };
  }
  return undefined;
}

function systemStore(options: TrustOptions): StepReport {
  const platform = options.platform ?? process.platform;
  const run = options.run ?? runProgram;
  const store = 'system store';
  if (platform !== 'linux') {
    const manual =
      platform === 'darwin'
        ? `sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${options.caPath}`
        : platform === 'win32'
          ? `certutil -addstore -f ROOT ${options.caPath} (as administrator)`
          : 'your system’s certificate tool';
    return { store, outcome: 'skipped', detail: `this command handles Linux only; on ${platform} run: ${manual}` };
  }
  const distro = systemDistro(options.systemRoot ?? '/');
  if (!distro) return { store, outcome: 'skipped', detail: 'no known CA bundle tool (update-ca-certificates, update-ca-trust) on this system' };
  const id = caIdentity(options.caPath);
  const target = join(distro.anchors, `${id.fileStem}${distro.extension}`);
  const where = `${store} (${distro.name})`;
  const present = existsSync(target) && readFileSync(target, 'utf8') === readFileSync(options.caPath, 'utf8');
  if (options.uninstall ? !existsSync(target) : present) {
    return { store: where, outcome: options.uninstall ? 'absent' : 'already', detail: target };
  }

  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  // Without root the commands go through sudo, which asks for a password only on a terminal.
  const interactive = Boolean(process.stdin.isTTY);
  let via: string[] = [];
  if (!isRoot) {
    const sudo = run('sudo', interactive ? ['-v'] : ['-n', 'true'], { interactive });
    if (sudo.missing || sudo.status !== 0) {
      return { store: where, outcome: 'skipped', detail: `needs root: ${sudo.missing ? 'sudo is not installed' : interactive ? 'sudo refused' : 'sudo needs a password and there is no terminal to ask on'}; run as root, or import ${options.caPath} by hand` };
    }
    via = ['sudo'];
  }
  const step = (command: string[]): string | undefined => {
    const [program, ...args] = [...via, ...command];
    const result = run(program!, args);
    if (result.missing) return `${program} not found`;
    return result.status === 0 ? undefined : `${command.join(' ')} exited ${result.status}: ${result.output.split('\n').slice(-3).join(' ')}`;
  };
  const failure = options.uninstall ? step(['rm', '-f', target]) ?? step(distro.update) : step(['install', '-m', '644', options.caPath, target]) ?? step(distro.update);
  if (failure) return { store: where, outcome: 'failed', detail: failure };
  return { store: where, outcome: options.uninstall ? 'removed' : 'added', detail: `${target}; ${distro.update.join(' ')}` };
}

/** Chrome/Chromium's shared NSS db (made when missing, as Chrome would) and each Firefox profile's. */
function nssStores(options: TrustOptions): StepReport[] {
  const run = options.run ?? runProgram;
  const id = caIdentity(options.caPath);
  const chrome = join(options.home, '.pki', 'nssdb');
  const dbs: { store: string; db: string }[] = [{ store: 'Chrome/Chromium NSS store', db: `sql:${chrome}` }];
  for (const base of ['.mozilla/firefox', 'snap/firefox/common/.mozilla/firefox', '.var/app/org.mozilla.firefox/.mozilla/firefox']) {
    const profiles = join(options.home, base);
    if (!existsSync(profiles)) continue;
    for (const entry of readdirSync(profiles, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const dir = join(profiles, entry.name);
      // cert9.db is the SQL format (Firefox 58+); cert8.db the old Berkeley DB one.
      if (existsSync(join(dir, 'cert9.db'))) dbs.push({ store: `Firefox profile ${entry.name}`, db: `sql:${dir}` });
      else if (existsSync(join(dir, 'cert8.db'))) dbs.push({ store: `Firefox profile ${entry.name}`, db: `dbm:${dir}` });
    }
  }

  const probe = run('certutil', ['-H']);
  if (probe.missing) {
    return dbs.map(({ store }) => ({
      store,
      outcome: 'skipped' as const,
      detail: 'certutil is not installed (Debian/Ubuntu: apt-get install libnss3-tools; Fedora: dnf install nss-tools; Arch: pacman -S nss)',
    }));
  }

  return dbs.map(({ store, db }): StepReport => {
    const path = db.replace(/^(sql|dbm):/, '');
    const has = () => run('certutil', ['-L', '-d', db, '-n', id.nickname]).status === 0;
    if (options.uninstall) {
      if (!existsSync(path) || !has()) return { store, outcome: 'absent', detail: path };
      const removed = run('certutil', ['-D', '-d', db, '-n', id.nickname]);
      return removed.status === 0 ? { store, outcome: 'removed', detail: path } : { store, outcome: 'failed', detail: `certutil -D: ${removed.output}` };
    }
    if (db === `sql:${chrome}` && !existsSync(join(chrome, 'cert9.db'))) {
      mkdirSync(chrome, { recursive: true });
      const created = run('certutil', ['-N', '-d', db, '--empty-password']);
      if (created.status !== 0) return { store, outcome: 'failed', detail: `certutil -N (creating ${chrome}): ${created.output}` };
    }
    if (has()) return { store, outcome: 'already', detail: path };
    // "C,," trusts it to issue server certificates (SSL), nothing else.
    const added = run('certutil', ['-A', '-d', db, '-t', 'C,,', '-n', id.nickname, '-i', options.caPath]);
    return added.status === 0 ? { store, outcome: 'added', detail: path } : { store, outcome: 'failed', detail: `certutil -A: ${added.output}` };
  });
}

export function formatReports(caPath: string, reports: StepReport[], uninstall: boolean): string {
  const id = caIdentity(caPath);
  const lines = [`${uninstall ? 'Removing' : 'Trusting'} the local CA ${caPath}`, `  (${id.nickname}, SHA-256 ${id.fingerprint})`];
  for (const r of reports) lines.push(`  ${r.outcome.padEnd(8)} ${r.store}: ${r.detail}`);
  const changed = reports.some((r) => r.outcome === 'added' || r.outcome === 'removed');
  if (changed) lines.push('Restart your browsers so that they read their certificate stores again.');
  if (!uninstall) lines.push(`Node reads none of these stores: run Node clients with NODE_EXTRA_CA_CERTS=${caPath}.`);
  return lines.join('\n');
}

const USAGE = `Usage: npm run trust-ca -- [--uninstall] [--state-dir <dir> | --ca <file>] [--skip-system]

Trusts the local runtime's certificate authority in the system store and in the browsers' NSS
stores (Chrome/Chromium's ~/.pki/nssdb, every Firefox profile), so that pages and wss:// work
without certificate errors. Safe to run again. --uninstall removes it.
  --state-dir <dir>  the runtime's state folder; the CA is <dir>/tls/ca.pem (default .local)
  --ca <file>        the CA certificate itself
  --skip-system      leave the system store alone (NSS stores only)`;

if (import.meta.main) {
  let values;
  try {
    ({ values } = parseArgs({
      options: { uninstall: { type: 'boolean' }, 'state-dir': { type: 'string' }, ca: { type: 'string' }, 'skip-system': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const tlsDir = join(values['state-dir'] ?? '.local', 'tls');
  // The CA npm start would make: made now when missing, so trusting it first works too.
  const caPath = resolve(values.ca ?? ensureLocalTls(tlsDir, (line) => console.log(line)).caCertPath);
  if (!existsSync(caPath)) {
    console.error(`no CA certificate at ${caPath}`);
    process.exit(2);
  }
  const uninstall = Boolean(values.uninstall);
  const reports = trustCa({ caPath, home: process.env.HOME ?? homedir(), uninstall, skipSystem: Boolean(values['skip-system']) });
  console.log(formatReports(caPath, reports, uninstall));
  process.exit(reports.some((r) => r.outcome === 'failed') ? 1 : 0);
}
