import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLocalTls } from '../../../local/tls/local-ca.ts';
import { caIdentity, runProgram, trustCa, trustStatus, type Runner } from '../../../local/tls/trust-ca.ts';

const dir = mkdtempSync(join(tmpdir(), 'pricestream-trust-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const caPath = ensureLocalTls(join(dir, 'tls')).caCertPath;
const id = caIdentity(caPath);

/** A Debian-like system root, and a runner that records the commands (and performs install/rm on it). */
function debianRoot(name: string) {
  const root = join(dir, name);
  mkdirSync(join(root, 'usr/sbin'), { recursive: true });
  mkdirSync(join(root, 'usr/local/share/ca-certificates'), { recursive: true });
  writeFileSync(join(root, 'usr/sbin/update-ca-certificates'), '');
  const commands: string[] = [];
  const run = (sudoWorks: boolean): Runner => (command, args) => {
    commands.push([command, ...args].join(' '));
    const [program, ...rest] = command === 'sudo' ? args : [command, ...args];
    if (command === 'sudo' && !sudoWorks) return { status: 1, output: 'sudo: a password is required', missing: false };
    if (program === 'install') copyFileSync(rest[2]!, rest[3]!);
    if (program === 'rm') rmSync(rest[1]!, { force: true });
    return { status: 0, output: '', missing: false };
  };
  return { root, commands, run, target: join(root, 'usr/local/share/ca-certificates', `${id.fileStem}.crt`) };
}

describe('trust-ca: the system store', () => {
  it('as root copies the CA into the anchors and rebuilds the bundle; a second run finds it and does nothing', () => {
    const sys = debianRoot('root-run');
    const [first] = trustCa({ caPath, home: join(dir, 'h1'), systemRoot: sys.root, isRoot: true, platform: 'linux', run: sys.run(true) });
    expect(first).toEqual({ store: 'system store (Debian/Ubuntu)', outcome: 'added', detail: `${sys.target}; update-ca-certificates` });
    expect(sys.commands.filter((c) => !c.startsWith('certutil'))).toEqual([`install -m 644 ${caPath} ${sys.target}`, 'update-ca-certificates']);
    sys.commands.length = 0;
    const [again] = trustCa({ caPath, home: join(dir, 'h1'), systemRoot: sys.root, isRoot: true, platform: 'linux', run: sys.run(true) });
    expect(again!.outcome).toBe('already');
    expect(sys.commands.filter((c) => !c.startsWith('certutil'))).toEqual([]);
    expect(trustStatus(caPath, join(dir, 'h1'), sys.run(true), sys.root).system).toBe(true);
  });

  it('without root goes through sudo, and says why when sudo cannot be used', () => {
    const sys = debianRoot('sudo-run');
    const [refused] = trustCa({ caPath, home: join(dir, 'h2'), systemRoot: sys.root, isRoot: false, platform: 'linux', run: sys.run(false) });
    expect(refused!.outcome).toBe('skipped');
    expect(refused!.detail).toMatch(/^needs root: /);
    expect(existsSync(sys.target)).toBe(false);
    sys.commands.length = 0;
    const [added] = trustCa({ caPath, home: join(dir, 'h2'), systemRoot: sys.root, isRoot: false, platform: 'linux', run: sys.run(true) });
    expect(added!.outcome).toBe('added');
    expect(sys.commands.filter((c) => c.startsWith('sudo'))).toEqual([expect.stringMatching(/^sudo (-n true|-v)$/), `sudo install -m 644 ${caPath} ${sys.target}`, 'sudo update-ca-certificates']);
  });

  it('--uninstall removes the file and rebuilds; then there is nothing to remove', () => {
    const sys = debianRoot('uninstall');
    trustCa({ caPath, home: join(dir, 'h3'), systemRoot: sys.root, isRoot: true, platform: 'linux', run: sys.run(true) });
    const [removed] = trustCa({ caPath, home: join(dir, 'h3'), systemRoot: sys.root, isRoot: true, platform: 'linux', uninstall: true, run: sys.run(true) });
    expect(removed!.outcome).toBe('removed');
    expect(existsSync(sys.target)).toBe(false);
    const [absent] = trustCa({ caPath, home: join(dir, 'h3'), systemRoot: sys.root, isRoot: true, platform: 'linux', uninstall: true, run: sys.run(true) });
    expect(absent!.outcome).toBe('absent');
  });

  it('on another platform says what to run instead of pretending', () => {
    const [mac] = trustCa({ caPath, home: join(dir, 'h4'), platform: 'darwin', run: () => ({ status: 0, output: '', missing: true }) });
    expect(mac).toEqual({ store: 'system store', outcome: 'skipped', detail: `this command handles Linux only; on darwin run: sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain ${caPath}` });
  });
});

describe('trust-ca: the NSS stores (real certutil)', () => {
  it('creates Chrome\'s store when missing, adds the CA to it and to each Firefox profile, idempotently; --uninstall takes it out', () => {
    const home = join(dir, 'nss-home');
    const profile = join(home, '.mozilla/firefox/abc.default-release');
    mkdirSync(profile, { recursive: true });
    expect(runProgram('certutil', ['-N', '-d', `sql:${profile}`, '--empty-password']).status).toBe(0);
    const options = { caPath, home, skipSystem: true };
    expect(trustCa(options).map((r) => `${r.outcome} ${r.store}`)).toEqual(['added Chrome/Chromium NSS store', 'added Firefox profile abc.default-release']);
    expect(trustStatus(caPath, home).nss).toBe(true);
    expect(trustCa(options).map((r) => r.outcome)).toEqual(['already', 'already']);
    // Trusted for identifying servers (SSL "C"), nothing else.
    const listed = runProgram('certutil', ['-L', '-d', `sql:${join(home, '.pki/nssdb')}`]).output;
    expect(listed).toMatch(new RegExp(`${id.nickname}\\s+C,,`));
    expect(trustCa({ ...options, uninstall: true }).map((r) => r.outcome)).toEqual(['removed', 'removed']);
    expect(trustStatus(caPath, home).nss).toBe(false);
    expect(trustCa({ ...options, uninstall: true }).map((r) => r.outcome)).toEqual(['absent', 'absent']);
  });
});
