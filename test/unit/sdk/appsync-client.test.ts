import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppSyncRequestError, createAppSyncClient, credentialsFromEnvironment, signingRegion } from '../../../sdk/appsync-client.ts';
import { verifySigV4 } from '../../../local/appsync/auth/sigv4.ts';
import { ensureLocalTls } from '../../../local/tls/local-ca.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let answer: (request: Seen) => { status: number; body: string } = () => ({ status: 200, body: JSON.stringify({ data: { ok: true } }) });

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      seen.push(request);
      const { status, body } = answer(request);
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const QUERY = 'query Ping($id: ID!) { market(id: $id) { id } }';
const KEYS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const last = () => seen[seen.length - 1]!;
const verdict = (request: Seen, secret = KEYS.secretAccessKey, region = 'eu-west-1') =>
  verifySigV4({ method: request.method, path: request.url, query: '', headers: request.headers as Record<string, unknown>, body: request.body }, { region, service: 'appsync', secretFor: (id) => (id === KEYS.accessKeyId ? secret : undefined) });

describe('createAppSyncClient', () => {
  it('posts the operation and resolves to its data', async () => {
    const client = createAppSyncClient({ endpoint, region: 'eu-west-1', auth: { type: 'API_KEY', apiKey: 'da2-abc' } });
    expect(await client.request(QUERY, { id: 'm1' })).toEqual({ ok: true });
    expect(last()).toMatchObject({ method: 'POST', url: '/graphql', body: JSON.stringify({ query: QUERY, variables: { id: 'm1' } }) });
    expect(last().headers).toMatchObject({ 'x-api-key': 'da2-abc', 'content-type': 'application/json; charset=UTF-8' });
    expect(last().headers.authorization).toBeUndefined();
    client.close();
  });

  it('sends a Cognito token as the Authorization header, from a string or a function', async () => {
    const fixed = createAppSyncClient({ endpoint, auth: { type: 'AMAZON_COGNITO_USER_POOLS', token: 'eyJ.fixed.token' } });
    await fixed.request(QUERY, { id: 'm1' });
    expect(last().headers.authorization).toBe('eyJ.fixed.token');
    let calls = 0;
    const refreshing = createAppSyncClient({ endpoint, auth: { type: 'AMAZON_COGNITO_USER_POOLS', token: async () => `eyJ.token.${++calls}` } });
    await refreshing.request(QUERY, { id: 'm1' });
    await refreshing.request(QUERY, { id: 'm1' });
    expect(last().headers.authorization).toBe('eyJ.token.2');
    fixed.close();
    refreshing.close();
  });

  it('signs IAM requests with SigV4 for appsync, verified by an independent verifier', async () => {
    const client = createAppSyncClient({ endpoint, region: 'eu-west-1', auth: { type: 'AWS_IAM', credentials: KEYS } });
    await client.request(QUERY, { id: 'm1' });
    const request = last();
    expect(request.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/appsync\/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$/);
    expect(await verdict(request)).toEqual({ ok: true, accessKeyId: 'AKIDEXAMPLE' });
    // The signature covers the body, the secret and the scope.
    expect((await verdict({ ...request, body: request.body.replace('m1', 'm2') })).ok).toBe(false);
    expect((await verdict(request, 'another-secret')).ok).toBe(false);
    expect((await verdict(request, KEYS.secretAccessKey, 'us-east-1')).ok).toBe(false);
    client.close();
  });

  it('computes the same signature as a from-scratch implementation of the SigV4 documentation', async () => {
    const client = createAppSyncClient({ endpoint, region: 'eu-west-1', auth: { type: 'AWS_IAM', credentials: KEYS } });
    await client.request(QUERY, { id: 'm1' });
    const { headers, body } = last();
    const [, signedHeaderList, signature] = /SignedHeaders=([^,]+), Signature=(\w+)$/.exec(headers.authorization!)!;
    const amzDate = headers['x-amz-date'] as string;
    const hex = (data: string) => createHash('sha256').update(data).digest('hex');
    const canonical = ['POST', '/graphql', '', ...signedHeaderList!.split(';').map((h) => `${h}:${String(headers[h]).trim()}`), '', signedHeaderList, hex(body)].join('\n');
    const scope = `${amzDate.slice(0, 8)}/eu-west-1/appsync/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, hex(canonical)].join('\n');
    const key = ['eu-west-1', 'appsync', 'aws4_request'].reduce((k, part) => createHmac('sha256', k).update(part).digest(), createHmac('sha256', `AWS4${KEYS.secretAccessKey}`).update(amzDate.slice(0, 8)).digest());
    expect(createHmac('sha256', key).update(stringToSign).digest('hex')).toBe(signature);
    client.close();
  });

  it('signs with a session token and reads credentials from the environment by default', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: KEYS.accessKeyId, AWS_SECRET_ACCESS_KEY: KEYS.secretAccessKey, AWS_SESSION_TOKEN: 'session-token-1', AWS_REGION: 'eu-west-1' });
    try {
      const client = createAppSyncClient({ endpoint, auth: { type: 'AWS_IAM' } });
      await client.request(QUERY, { id: 'm1' });
      expect(last().headers['x-amz-security-token']).toBe('session-token-1');
      expect(last().headers.authorization).toMatch(/SignedHeaders=[^,]*x-amz-security-token/);
      expect(await verdict(last())).toMatchObject({ ok: true });
      client.close();
    } finally {
      process.env = saved;
    }
    expect(() => credentialsFromEnvironment({})).toThrow('AWS_IAM auth without credentials reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, and they are not set');
    expect(credentialsFromEnvironment({ AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })).toEqual({ accessKeyId: 'a', secretAccessKey: 'b' });
  });

  it('takes credentials from a provider function', async () => {
    const client = createAppSyncClient({ endpoint, region: 'eu-west-1', auth: { type: 'AWS_IAM', credentials: async () => KEYS } });
    await client.request(QUERY, { id: 'm1' });
    expect((await verdict(last())).ok).toBe(true);
    client.close();
  });

  it('finds the signing region in an AppSync host name, else AWS_REGION, and needs one for IAM', () => {
    expect(signingRegion(new URL('https://abc.appsync-api.ap-southeast-2.amazonaws.com/graphql'), undefined, {})).toBe('ap-southeast-2');
    expect(signingRegion(new URL('https://abc.appsync-api.ap-southeast-2.amazonaws.com/graphql'), 'us-west-2', {})).toBe('us-west-2');
    expect(signingRegion(new URL('http://localhost:4000/graphql'), undefined, { AWS_REGION: 'eu-central-1' })).toBe('eu-central-1');
    const saved = process.env.AWS_REGION;
    delete process.env.AWS_REGION;
    try {
      expect(() => createAppSyncClient({ endpoint: 'http://localhost:1/graphql', auth: { type: 'AWS_IAM', credentials: KEYS } })).toThrow(
        'createAppSyncClient: AWS_IAM needs a signing region; pass `region` or set AWS_REGION (endpoint http://localhost:1/graphql)',
      );
    } finally {
      if (saved !== undefined) process.env.AWS_REGION = saved;
    }
    expect(() => createAppSyncClient({ endpoint: 'ftp://x/graphql', auth: { type: 'API_KEY', apiKey: 'k' } })).toThrow('endpoint must be an http(s) URL, got ftp://x/graphql');
  });

  it('throws GraphQL errors with errorType, message, path, the data and the HTTP status', async () => {
    answer = () => ({
      status: 200,
      body: JSON.stringify({ data: { publishPriceUpdate: null }, errors: [{ path: ['publishPriceUpdate'], data: null, errorType: 'Unauthorized', errorInfo: null, locations: [{ line: 1, column: 50, sourceName: null }], message: 'Not Authorized to access publishPriceUpdate on type Mutation' }] }),
    });
    const client = createAppSyncClient({ endpoint, auth: { type: 'API_KEY', apiKey: 'k' } });
    const error = await client.request('mutation Publish { publishPriceUpdate { marketId } }').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppSyncRequestError);
    expect(error).toMatchObject({
      message: 'mutation Publish: AppSync answered HTTP 200 with Unauthorized: Not Authorized to access publishPriceUpdate on type Mutation (at publishPriceUpdate)',
      status: 200,
      data: { publishPriceUpdate: null },
      errors: [expect.objectContaining({ errorType: 'Unauthorized', path: ['publishPriceUpdate'], message: 'Not Authorized to access publishPriceUpdate on type Mutation' })],
    });
    client.close();
  });

  it('throws HTTP refusals with the status and AppSync’s error', async () => {
    answer = () => ({ status: 401, body: JSON.stringify({ errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }] }) });
    const client = createAppSyncClient({ endpoint, auth: { type: 'API_KEY', apiKey: 'wrong' } });
    await expect(client.request(QUERY, { id: 'm1' })).rejects.toMatchObject({
      name: 'AppSyncRequestError',
      status: 401,
      message: 'query Ping: AppSync answered HTTP 401 with UnauthorizedException: You are not authorized to make this call.',
    });
    answer = () => ({ status: 502, body: '<html>Bad gateway</html>' });
    await expect(client.request(QUERY, { id: 'm1' })).rejects.toMatchObject({ status: 502, message: 'query Ping: AppSync answered HTTP 502 with a body that is not JSON: <html>Bad gateway</html>' });
    answer = () => ({ status: 200, body: JSON.stringify({ data: { ok: true } }) });
    client.close();
  });

  it('names the endpoint when it cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((ready) => closed.listen(0, '127.0.0.1', ready));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    const client = createAppSyncClient({ endpoint: `http://127.0.0.1:${port}/graphql`, auth: { type: 'API_KEY', apiKey: 'k' } });
    await expect(client.request(QUERY, { id: 'm1' })).rejects.toThrow(`AppSync request to http://127.0.0.1:${port}/graphql failed: connect ECONNREFUSED`);
    client.close();
  });

  it('times out', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/graphql`;
    const client = createAppSyncClient({ endpoint: url, auth: { type: 'API_KEY', apiKey: 'k' }, timeoutMs: 50 });
    await expect(client.request(QUERY, { id: 'm1' })).rejects.toThrow(`AppSync request to ${url} timed out after 50 ms`);
    client.close();
    silent.closeAllConnections();
    await new Promise((done) => silent.close(done));
  });
});

describe('a kept-alive socket that the server closed', () => {
  /**
   * A raw HTTP/1.1 server that answers with keep-alive and resets the connection, unanswered, at
   * the request number `resetAt` of each connection (1-based; counted per connection).
   */
  async function resettingServer(resetAt: (connection: number) => number | undefined) {
    const connections: number[] = [];
    const server = createTcpServer((socket: Socket) => {
      const connection = connections.push(0) - 1;
      socket.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf('POST '); i >= 0; i = chunk.indexOf('POST ', i + 1)) {
          connections[connection]! += 1;
          if (connections[connection] === resetAt(connection)) return void socket.resetAndDestroy();
          const body = JSON.stringify({ data: { connection, request: connections[connection] } });
          socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: keep-alive\r\n\r\n${body}`);
        }
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, connections, close: () => new Promise((done) => server.close(done)) };
  }

  it('sends the request again on a new socket when the reused one is reset before any answer', async () => {
    const server = await resettingServer((connection) => (connection === 0 ? 2 : undefined));
    const client = createAppSyncClient({ endpoint: server.url, auth: { type: 'API_KEY', apiKey: 'da2-abc' } });
    try {
      expect(await client.request('{ first }')).toEqual({ connection: 0, request: 1 });
      expect(await client.request('{ second }')).toEqual({ connection: 1, request: 1 });
      expect(server.connections).toEqual([2, 1]);
    } finally {
      client.close();
      await server.close();
    }
  });

  it('does not send again when a new socket is reset: that is an error', async () => {
    const server = await resettingServer(() => 1);
    const client = createAppSyncClient({ endpoint: server.url, auth: { type: 'API_KEY', apiKey: 'da2-abc' } });
    try {
      await expect(client.request('{ first }')).rejects.toThrow(/^AppSync request to http:\/\/127\.0\.0\.1:\d+\/graphql failed: read ECONNRESET$/);
      expect(server.connections).toEqual([1]);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('HTTPS trust', () => {
  let dir: string;
  let https: ReturnType<typeof createHttpsServer>;
  let url: string;
  let script: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'appsync-client-tls-'));
    const tls = ensureLocalTls(join(dir, 'tls'));
    https = createHttpsServer({ cert: tls.cert, key: tls.key }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { trusted: true } })));
    });
    await new Promise<void>((ready) => https.listen(0, '127.0.0.1', ready));
    url = `https://localhost:${(https.address() as AddressInfo).port}/graphql`;
    script = join(dir, 'call.ts');
    writeFileSync(
      script,
      `import { createAppSyncClient } from ${JSON.stringify(new URL('../../../sdk/appsync-client.ts', import.meta.url).pathname)};
const client = createAppSyncClient({ endpoint: process.argv[2], auth: { type: 'API_KEY', apiKey: 'k' } });
try { console.log(JSON.stringify(await client.request('{ trusted }'))); } catch (e) { console.log('ERROR ' + e.message); } finally { client.close(); }
`,
    );
  });

  afterAll(async () => {
    await new Promise((done) => https.close(done));
    rmSync(dir, { recursive: true, force: true });
  });

  // NODE_EXTRA_CA_CERTS is read when a Node process starts, so each case is its own process
  // (run asynchronously: this process serves its HTTPS requests).
  const run = async (env: NodeJS.ProcessEnv) => (await promisify(execFile)(process.execPath, [script, url], { env, encoding: 'utf8', timeout: 30_000 })).stdout.trim();

  it('trusts a certificate from the CA named by NODE_EXTRA_CA_CERTS, as Node does', async () => {
    const { NODE_EXTRA_CA_CERTS: _ignored, ...env } = process.env;
    expect(await run({ ...env, NODE_EXTRA_CA_CERTS: join(dir, 'tls', 'ca.pem') })).toBe('{"trusted":true}');
    expect(await run(env)).toMatch(/^ERROR AppSync request to https:\/\/localhost:\d+\/graphql failed: .*certificate/);
  });
});
