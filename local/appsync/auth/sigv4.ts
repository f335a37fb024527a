import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * Verifies an AWS Signature Version 4 request as AWS services do. The signature is not
 * recomputed by hand: the request as signed (its signed headers only) is signed again with
 * @smithy/signature-v4 — the signer the AWS SDKs and our client use — with the secret of the
 * access key it names, and the two signatures are compared in constant time. Around that:
 * the credential scope (date, region, service), the request time within five minutes of now,
 * a signed `host`, a canonical SignedHeaders list, and the body's own hash — so a signature
 * cannot be replayed with another body. The messages are IAM's own (how AppSync wraps them is
 * UNVERIFIED; it answers UnauthorizedException).
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
/** Query parameters of a presigned (query-string-signed) request. */
const PRESIGN_PARAMETERS = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature', 'x-amz-signedheaders', 'x-amz-date'];
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

export async function verifySigV4(request: SignedRequest, expected: SigV4Expectations): Promise<SigV4Verdict> {
  const refuse = (message: string): SigV4Verdict => ({ ok: false, message });
  const header = headerValue(request.headers.authorization);
  const match = AUTHORIZATION.exec(header ?? '');
  if (!match) return refuse('Authorization header requires Credential, SignedHeaders and Signature parameters in the AWS4-HMAC-SHA256 format.');
  const [, accessKeyId, scopeDate, region, service, signedHeaderList, signature] = match as unknown as [string, string, string, string, string, string, string];

  // UNVERIFIED for AppSync: S3's wording. AppSync documents only the Authorization header for
  // IAM (devguide security-authz.html), so a request signed both ways is refused, never merged.
  const queryNames = new URLSearchParams(request.query).keys();
  if ([...queryNames].some((name) => PRESIGN_PARAMETERS.includes(name.toLowerCase()))) {
    return refuse('Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
  }

  const secret = expected.secretFor(accessKeyId);
  if (!secret) return refuse('The security token included in the request is invalid.');
  if (service !== expected.service) return refuse(`Credential should be scoped to correct service: '${expected.service}'.`);
  if (region !== expected.region) return refuse(`Credential should be scoped to a valid region, not '${region}'.`);

  const amzDate = headerValue(request.headers['x-amz-date']);
  if (!amzDate || !/^\d{8}T\d{6}Z$/.test(amzDate)) return refuse("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (amzDate.slice(0, 8) !== scopeDate) return refuse(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}'`);
  const signedAt = Date.UTC(+amzDate.slice(0, 4), +amzDate.slice(4, 6) - 1, +amzDate.slice(6, 8), +amzDate.slice(9, 11), +amzDate.slice(11, 13), +amzDate.slice(13, 15));
  const now = (expected.now ?? new Date()).getTime();
  if (signedAt < now - MAX_SKEW_MS) return refuse(`Signature expired: ${amzDate} is now earlier than ${isoBasic(now - MAX_SKEW_MS)} (${isoBasic(now)} - 5 min.)`);
  if (signedAt > now + MAX_SKEW_MS) return refuse(`Signature not yet current: ${amzDate} is still later than ${isoBasic(now + MAX_SKEW_MS)} (${isoBasic(now)} + 5 min.)`);

  // SigV4 lists signed headers lower-case, sorted and once each (the AUTHORIZATION pattern
  // already refuses upper case); anything else is not a list a conforming signer produces.
  const signedHeaders = signedHeaderList.split(';');
  const canonicalList = [...new Set(signedHeaders)].sort().join(';');
  if (canonicalList !== signedHeaderList || signedHeaders.includes('')) return refuse(`SignedHeaders must be lower-case names in ascending order, each once; got '${signedHeaderList}'.`);
  if (!signedHeaders.includes('host')) return refuse("'Host' must be a 'SignedHeader' in the AWS Authorization.");
  const missing = signedHeaders.find((name) => headerValue(request.headers[name]) === undefined);
  if (missing) return refuse(`The signed header ${missing} is not in the request.`);

  // UNVERIFIED: AppSync's answer to UNSIGNED-PAYLOAD. Only S3-style services accept it (the AWS SDK
  // for Go signs it only for S3: aws/aws-sdk-go v1.44.294 aws/signer/v4/v4.go, cited in
  // apache/opendal-reqsign#346); elsewhere the body must be covered, so it is refused here.
  const declaredHash = headerValue(request.headers['x-amz-content-sha256']);
  if (declaredHash === 'UNSIGNED-PAYLOAD') return refuse('The x-amz-content-sha256 header UNSIGNED-PAYLOAD is not accepted: the request body must be signed.');
  if (declaredHash !== undefined && declaredHash !== sha256Hex(request.body)) return refuse('The provided x-amz-content-sha256 header does not match what was computed.');

  const recomputed = await signAgain(request, { accessKeyId, secret, region, service, signedAt, signedHeaders });
  const given = Buffer.from(`SignedHeaders=${signedHeaderList}, Signature=${signature}`);
  const ours = Buffer.from(`SignedHeaders=${recomputed.signedHeaders}, Signature=${recomputed.signature}`);
  if (given.length !== ours.length || !timingSafeEqual(given, ours)) return refuse(SIGNATURE_MISMATCH);
  return { ok: true, accessKeyId };
}

/** Signs the request's signed headers, path, query and body again, at the time it was signed. */
async function signAgain(
  request: SignedRequest,
  signing: { accessKeyId: string; secret: string; region: string; service: string; signedAt: number; signedHeaders: string[] },
): Promise<{ signedHeaders: string; signature: string }> {
  const headers = Object.fromEntries(signing.signedHeaders.map((name) => [name, headerValue(request.headers[name])!]));
  const host = headers.host!;
  // applyChecksum off: the payload hash header is signed only if the caller signed it.
  const signer = new SignatureV4({ credentials: { accessKeyId: signing.accessKeyId, secretAccessKey: signing.secret }, region: signing.region, service: signing.service, sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    new HttpRequest({ method: request.method.toUpperCase(), protocol: 'https:', hostname: host.replace(/:\d+$/, ''), path: request.path === '' ? '/' : request.path, query: parseQuery(request.query), headers, body: request.body }),
    { signingDate: new Date(signing.signedAt), signableHeaders: new Set(signing.signedHeaders) },
  );
  const authorization = String(signed.headers.authorization);
  return { signedHeaders: /SignedHeaders=([^,]+)/.exec(authorization)![1]!, signature: /Signature=([0-9a-f]+)/.exec(authorization)![1]! };
}

/** The query as the signer takes it: decoded names and values, repeated names as lists. */
function parseQuery(query: string): Record<string, string | string[]> {
  const parsed: Record<string, string | string[]> = {};
  for (const [name, value] of new URLSearchParams(query)) {
    const seen = parsed[name];
    parsed[name] = seen === undefined ? value : [...[seen].flat(), value];
  }
  return parsed;
}

function headerValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.map(String).join(',');
  return typeof value === 'string' ? value : undefined;
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function isoBasic(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]|\.\d{3}/g, '');
}
