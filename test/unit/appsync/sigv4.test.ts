import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { verifySigV4, type SignedRequest } from '../../../local/appsync/auth/sigv4.ts';

const credentials = { accessKeyId: 'AKIALOCALTEST0001', secretAccessKey: 'local-secret-key' };
const expectations = { region: 'us-east-1', service: 'appsync', secretFor: (id: string) => (id === credentials.accessKeyId ? credentials.secretAccessKey : undefined) };

/** Signs with the AWS SDK's own signer, an implementation independent of ours. */
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
    expect(verifySigV4(await signed('{"query":"{ a }"}'), expectations)).toEqual({ ok: true, accessKeyId: 'AKIALOCALTEST0001' });
  });

  it('refuses a signature made with the wrong secret', async () => {
    const verdict = verifySigV4(await signed('{}', { secret: 'not-the-secret' }), expectations);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('The request signature we calculated does not match') });
  });

  it('refuses a replayed signature over another body', async () => {
    const request = await signed('{"query":"mutation { a }"}');
    const verdict = verifySigV4({ ...request, body: '{"query":"mutation { b }"}' }, expectations);
    expect(verdict.ok).toBe(false);
  });

  it('refuses a request signed more than five minutes ago, or ahead', async () => {
    const stale = verifySigV4(await signed('{}', { date: new Date(Date.now() - 6 * 60_000) }), expectations);
    expect(stale).toEqual({ ok: false, message: expect.stringMatching(/^Signature expired: \d{8}T\d{6}Z is now earlier than/) });
    const ahead = verifySigV4(await signed('{}', { date: new Date(Date.now() + 6 * 60_000) }), expectations);
    expect(ahead).toEqual({ ok: false, message: expect.stringMatching(/^Signature not yet current/) });
  });

  it('refuses an unknown access key, another region and another service', async () => {
    expect(verifySigV4(await signed('{}'), { ...expectations, secretFor: () => undefined })).toEqual({ ok: false, message: 'The security token included in the request is invalid.' });
    expect(verifySigV4(await signed('{}', { region: 'eu-west-1' }), expectations)).toEqual({ ok: false, message: "Credential should be scoped to a valid region, not 'eu-west-1'." });
    expect(verifySigV4(await signed('{}', { service: 'execute-api' }), expectations)).toEqual({ ok: false, message: "Credential should be scoped to correct service: 'appsync'." });
  });

  it('refuses a request whose signed path differs (the real-time handshake signs /graphql/connect)', async () => {
    const handshake = await signed('{}', { path: '/graphql/connect' });
    expect(verifySigV4(handshake, expectations).ok).toBe(true);
    expect(verifySigV4({ ...handshake, path: '/graphql' }, expectations).ok).toBe(false);
  });

  it('refuses a malformed Authorization header', () => {
    const verdict = verifySigV4({ method: 'POST', path: '/graphql', query: '', headers: { authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '' }, expectations);
    expect(verdict).toEqual({ ok: false, message: expect.stringContaining('requires Credential, SignedHeaders and Signature') });
  });
});
