// util.autoId / autoUlid / autoKsuid (D-UTIL).
import { randomBytes, randomUUID } from 'node:crypto';

/** A random (version 4) UUID, lower-case: `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`. */
export function autoId(): string {
  return randomUUID();
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID: 48-bit millisecond timestamp then 80 random bits, Crockford base32, 26 characters,
 * so ids sort by creation time.
 */
export function autoUlid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time;
    t = Math.floor(t / 32);
  }
  const random = randomBytes(16);
  let rest = '';
  for (let i = 0; i < 16; i++) rest += CROCKFORD[random[i]! % 32]!;
  return time + rest;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** KSUID timestamps count seconds from this epoch (2014-05-13T16:53:20Z). */
const KSUID_EPOCH_SECONDS = 1_400_000_000;

/**
 * A KSUID: 32-bit timestamp (seconds since the KSUID epoch) and 128 random bits, the 20 bytes
 * read as one big-endian number and written in base62, left-padded with `0` to 27 characters.
 */
export function autoKsuid(now: number = Date.now()): string {
  const bytes = Buffer.alloc(20);
  bytes.writeUInt32BE(Math.floor(now / 1000) - KSUID_EPOCH_SECONDS, 0);
  randomBytes(16).copy(bytes, 4);
  let n = BigInt(`0x${bytes.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}
