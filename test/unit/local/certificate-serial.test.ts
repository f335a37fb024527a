// The local CA's certificate serials encode as minimal, positive DER INTEGERs that OpenSSL
// accepts, whatever the random bytes (local/tls/local-ca.ts).
import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { randomSerial } from '../../../local/tls/local-ca.ts';

function certificateWithSerial(serial: string): string {
  const keys = forge.pki.rsa.generateKeyPair(512);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial;
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  cert.setSubject([{ name: 'commonName', value: 'serial test' }]);
  cert.setIssuer([{ name: 'commonName', value: 'serial test' }]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

describe('randomSerial', () => {
  it('gives 16 bytes whose first is 0x40–0x7f, for the extreme random bytes and for 10,000 random ones', () => {
    expect(randomSerial('\0'.repeat(16))).toBe('40' + '00'.repeat(15));
    expect(randomSerial('\xff'.repeat(16))).toBe('7f' + 'ff'.repeat(15));
    for (let i = 0; i < 10_000; i++) {
      const serial = randomSerial();
      expect(serial).toMatch(/^[4-7][0-9a-f]{31}$/);
    }
  });

  it('makes certificates OpenSSL parses when the random bytes begin with zeros, which once gave "illegal padding"', () => {
    const serial = randomSerial('\0\0\x1a' + '\x01'.repeat(13));
    // Made as before ('0' and 15 random bytes), these bytes gave a padded INTEGER that Node 24's
    // OpenSSL refused with "asn1 encoding routines::illegal padding".
    expect(new X509Certificate(certificateWithSerial(serial)).serialNumber).toBe(serial.toUpperCase());
  });
});
