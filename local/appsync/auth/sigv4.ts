import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Verifies an AWS Signature Version 4 request as AWS services do: the signature over the
 * canonical request with the secret of the access key, the credential scope (date, region,
 * service), the request time within five minutes of now, and the body's hash — so a
 * signature cannot be replayed with another body. The messages are IAM's own
 * (how AppSync wraps them is UNVERIFIED; it answers UnauthorizedException).
 */

export interface SignedRequest {
  method: string;
  /** The path as signed, e.g. `/graphql` or `/graphql/connect` for a real-time handshake. */
  path: string;
  /** The raw query string without `?`. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, unknown>;
  body: string;
}

export interface SigV4Expectations {
  region: string;
  service: string;
  secretFor(accessKeyId: string): string | undefined;
  now?: Date;
}

export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; message: string };

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;._-]+),\s*Signature=([0-9a-f]{64})$/;
const MAX_SKEW_MS = 5 * 60 * 1000;

export function verifySigV4(request: SignedRequest, expected: SigV4Expectations): SigV4Verdict {
  const header = headerValue(request.headers.authorization);
  const match = AUTHORIZATION.exec(header ?? '');
  if (!match) return { ok: false, message: 'Authorization header requires Credential, SignedHeaders and Signature parameters in the AWS4-HMAC-SHA256 format.' };
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as string[];

  const secret = expected.secretFor(accessKeyId!);
  if (!secret) return { ok: false, message: 'The security token included in the request is invalid.' };
  if (service !== expected.service) return { ok: false, message: `Credential should be scoped to correct service: '${expected.service}'.` };
  if (region !== expected.region) return { ok: false, message: `Credential should be scoped to a valid region, not '${region}'.` };

  const amzDate = headerValue(request.headers['x-amz-date']);
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return { ok: false, message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header." };
  if (amzDate.slice(0, 8) !== scopeDate) return { ok: false, message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'` };
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  const now = (expected.now ?? new Date()).getTime();
  if (signedAt < now - MAX_SKEW_MS) return { ok: false, message: `Signature expired: ${amzDate} is now earlier than ${isoBasic(now - MAX_SKEW_MS)} (${isoBasic(now)} - 5 min.)` };
  if (signedAt > now + MAX_SKEW_MS) return { ok: false, message: `Signature not yet current: ${amzDate} is still later than ${isoBasic(now + MAX_SKEW_MS)} (${isoBasic(now)} + 5 min.)` };

  const signedHeaders = signedHeaderList!.split(';');
  if (!signedHeaders.includes('host')) return { ok: false, message: "'Host' must be a 'SignedHeader' in the AWS Authorization." };
  const missing = signedHeaders.find((name) => headerValue(request.headers[name]) === undefined);
  if (missing) return { ok: false, message: `The signed header ${missing} is not in the request.` };

  const bodyHash = sha256Hex(request.body);
  const declaredHash = headerValue(request.headers['x-amz-content-sha256']);
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && declaredHash !== bodyHash) {
    return { ok: false, message: 'The provided x-amz-content-sha256 header does not match what was computed.' };
  }

  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalPath(request.path),
    canonicalQuery(request.query),
    signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])!.trim().replace(/\s+/g, ' ')}\n`).join(''),
    signedHeaderList,
    bodyHash,
  ].join('\n');
  const scope = `${scopeDate}/${region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  let key = hmac(`AWS4${secret}`, scopeDate!);
  for (const part of [region!, service!, 'aws4_request']) key = hmac(key, part);
  const expectedSignature = createHmac('sha256', key).update(stringToSign).digest();
  if (!timingSafeEqual(expectedSignature, Buffer.from(signature!, 'hex'))) {
    return {
      ok: false,
      message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    };
  }
  return { ok: true, accessKeyId: accessKeyId! };
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'string' ? value : undefined;
}

function canonicalPath(path: string): string {
  const normalized = path === '' ? '/' : path;
  return normalized
    .split('/')
    .map((segment) => encodeRfc3986(decodeURIComponent(segment)))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const [k, v = ''] = pair.split('=');
      return [encodeRfc3986(decodeURIComponent(k!.replace(/\+/g, ' '))), encodeRfc3986(decodeURIComponent(v.replace(/\+/g, ' ')))] as const;
    })
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function encodeRfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}
