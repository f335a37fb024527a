import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SignedRequest } from '../../../local/appsync/auth/sigv4.ts';

const credentials = { accessKeyId: 'AKIALOCALTEST0001', secretAccessKey: 'local-secret-key' };
const expectations = { region: 'us-east-1', service: 'appsync', secretFor: (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined) };

/** Signs with the AWS SDK's own signer, as a client would. */
async function signed(body: string, { path = '/graphql', secret = credentials.secretAccessKey, date = new Date(), region = 'us-east-1', service = 'appsync' } = {}): Promise<SignedRequest> {
  const signer = new SignatureV4({ credentials: { ...credentials, secretAccessKey: secret }, region, service, sha256: Sha256 });
  const request = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'https:', hostname: 'localhost', port: 4000, path, headers: { host: 'localhost:4000', 'content-type': 'application/json' }, body }),
    { signingDate: date },
  );
  return { method: 'POST', path, query: '', headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])), body };
}

describe('verifySigV4', () => {
  it('accepts a request signed by the AWS SDK signer and names the access key', async () => {
    expect(await verifySigV4(await signed('{"query":"{ a }"}'), expectations)).toEqual({ ok: true, accessKeyId: 'AKIALOCALTEST0001' });
  });

  it('refuses a signature made with the wrong secret', async () => {
    const verdict = await verifySigV4(await signed('{}', { secret: 'not-the-secret' }), expectations);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('The request signature we calculated does not match') });
  });

  it('refuses a replayed signature over another body', async () => {
    const request = await signed('{"query":"mutation { a }"}');
    const verdict = await verifySigV4({ ...request, body: '{"query":"mutation { b }"}' }, expectations);
    expect(verdict.ok).toBe(false);
  });

  it('refuses a request signed more than five minutes ago, or ahead', async () => {
    const stale = await verifySigV4(await signed('{}', { date: new Date(Date.now() - 6 * 60_000) }), expectations);
    expect(stale).toEqual({ ok: false, message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than/) });
    const ahead = await verifySigV4(await signed('{}', { date: new Date(Date.now() + 6 * 60_000) }), expectations);
    expect(ahead).toEqual({ ok: false, message: expect.stringMatching(/^Signature not yet current/) });
  });

  it('refuses an unknown access key, another region and another service', async () => {
    expect(await verifySigV4(await signed('{}'), { ...expectations, secretFor: () => undefined })).toEqual({ ok: false, message: 'The security token included in the request is invalid.' });
    expect(await verifySigV4(await signed('{}', { region: 'eu-west-1' }), expectations)).toEqual({ ok: false, message: "Credential should be scoped to a valid region, not 'eu-west-1'." });
    expect(await verifySigV4(await signed('{}', { service: 'execute-api' }), expectations)).toEqual({ ok: false, message: "Credential should be scoped to correct service: 'appsync'." });
  });

  it('refuses a request whose signed path differs (the real-time handshake signs /graphql/connect)', async () => {
    const handshake = await signed('{}', { path: '/graphql/connect' });
    expect((await verifySigV4(handshake, expectations)).ok).toBe(true);
    expect((await verifySigV4({ ...handshake, path: '/graphql' }, expectations)).ok).toBe(false);
  });

  it('refuses a malformed Authorization header', async () => {
    const verdict = await verifySigV4({ method: 'POST', path: '/graphql', query: '', headers: { authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '' }, expectations);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('requires Credential, SignedHeaders and Signature') });
  });

  it('refuses a SignedHeaders list with a name twice, in mixed case or out of order', async () => {
    const request = await signed('{}');
    const authorization = String(request.headers.authorization);
    const list = /SignedHeaders=([^,]+)/.exec(authorization)![1]!;
    const withList = (other: string) => ({ ...request, headers: { ...request.headers, authorization: authorization.replace(`SignedHeaders=${list}`, `SignedHeaders=${other}`) } });
    expect(await verifySigV4(withList(`${list};host`), expectations)).toEqual({ ok: false, message: expect.stringContaining('each once') });
    expect(await verifySigV4(withList(list.replace('host', 'Host')), expectations)).toEqual({ ok: false, message: expect.stringContaining('AWS4-HMAC-SHA256 format') });
    expect(await verifySigV4(withList(list.split(';').reverse().join(';')), expectations)).toEqual({ ok: false, message: expect.stringContaining('ascending order') });
  });

  it('refuses a query-string-signed (presigned) request that also carries an Authorization header', async () => {
    const request = await signed('{}');
    const verdict = await verifySigV4({ ...request, query: 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00' }, expectations);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('Only one auth mechanism allowed') });
  });

  it('refuses an UNSIGNED-PAYLOAD body hash, even when correctly signed (UNVERIFIED what AppSync answers)', async () => {
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
    const body = '{"query":"mutation { a }"}';
    const request = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: 'https:', hostname: 'localhost', port: 4000, path: '/graphql', headers: { host: 'localhost:4000', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body }),
    );
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(await verifySigV4({ method: 'POST', path: '/graphql', query: '', headers, body }, expectations)).toEqual({ ok: false, message: expect.stringContaining('UNSIGNED-PAYLOAD') });
  });

  it('accepts a signed query string and refuses it changed', async () => {
    const signer = new SignatureV4({ credentials, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
    const request = await signer.sign(
      new HttpRequest({ method: 'POST', protocol: 'https:', hostname: 'localhost', port: 4000, path: '/graphql', query: { b: 'two words', a: ['2', '1'] }, headers: { host: 'localhost:4000' }, body: '{}' }),
    );
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(await verifySigV4({ method: 'POST', path: '/graphql', query: 'b=two%20words&a=2&a=1', headers, body: '{}' }, expectations)).toEqual({ ok: true, accessKeyId: credentials.accessKeyId });
    expect((await verifySigV4({ method: 'POST', path: '/graphql', query: 'b=two%20words&a=2', headers, body: '{}' }, expectations)).ok).toBe(false);
  });
});
