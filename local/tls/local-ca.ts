import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';

export interface LocalTls {
  /** PEM of the local certificate authority: what a client must trust. */
  caCert: string;
  caCertPath: string;
  cert: string;
  key: string;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 825; // the longest lifetime Apple and Chromium accept for a leaf certificate

/**
 * A local certificate authority and a server certificate for localhost, made on first
 * use and kept under `dir`, so that a CA a user trusted once stays valid across restarts.
 */
export function ensureLocalTls(dir: string, log: (line: string) => void = () => {}): LocalTls {
  mkdirSync(dir, { recursive: true });
  const paths = {
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca-key.pem'),
    cert: join(dir, 'server.pem'),
    key: join(dir, 'server-key.pem'),
  };
  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
    log(`creating a local certificate authority in ${paths.caCert}`);
    const ca = makeCertificateAuthority();
    writeFileSync(paths.caCert, ca.cert);
    writeFileSync(paths.caKey, ca.key, { mode: 0o600 });
  }
  const caCert = readFileSync(paths.caCert, 'utf8');
  if (!existsSync(paths.cert) || !existsSync(paths.key) || !leafIsCurrent(readFileSync(paths.cert, 'utf8'), caCert)) {
    const leaf = makeServerCertificate(caCert, readFileSync(paths.caKey, 'utf8'));
    writeFileSync(paths.cert, leaf.cert);
    writeFileSync(paths.key, leaf.key, { mode: 0o600 });
  }
  return { caCert, caCertPath: paths.caCert, cert: readFileSync(paths.cert, 'utf8'), key: readFileSync(paths.key, 'utf8') };
}

function makeCertificateAuthority(): { cert: string; key: string } {
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + CA_DAYS * 86_400_000);
  const subject = [
    { name: 'commonName', value: `Pricestream local CA (${hostname()})` },
    { name: 'organizationName', value: 'Pricestream local development' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true, pathLenConstraint: 0 },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

function makeServerCertificate(caCertPem: string, caKeyPem: string): { cert: string; key: string } {
  const caCert = forge.pki.certificateFromPem(caCertPem);
  const caKey = forge.pki.privateKeyFromPem(caKeyPem);
  const keys = forge.pki.rsa.generateKeyPair(2048);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + LEAF_DAYS * 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 2, value: hostname() },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
}

/** A leaf is reused only while it is signed by the current CA and not about to expire. */
function leafIsCurrent(leafPem: string, caPem: string): boolean {
  try {
    const leaf = forge.pki.certificateFromPem(leafPem);
    const ca = forge.pki.certificateFromPem(caPem);
    return ca.verify(leaf) && leaf.validity.notAfter.getTime() > Date.now() + 7 * 86_400_000;
  } catch {
    return false;
  }
}

/**
 * A certificate serial (RFC 5280 §4.1.2.2: positive, at most 20 octets) whose DER INTEGER is
 * minimal: the first of its 16 bytes is 0x40–0x7f, neither 0 nor with the sign bit set. A
 * serial whose random first byte was 0 encoded as a padded INTEGER, which OpenSSL 3 refuses
 * ("asn1 encoding routines::illegal padding"): 1 certificate in 256 before.
 */
export function randomSerial(random: string = forge.random.getBytesSync(16)): string {
  return ((random.charCodeAt(0) & 0x3f) | 0x40).toString(16) + forge.util.bytesToHex(random.slice(1, 16));
}
