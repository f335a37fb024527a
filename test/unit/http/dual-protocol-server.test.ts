import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenDualProtocol, type DualProtocolServer } from '../../../local/http/dual-protocol-server.ts';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/local-ca.ts';

let server: DualProtocolServer;
let tls: LocalTls;

beforeAll(async () => {
  tls = ensureLocalTls(join(mkdtempSync(join(tmpdir(), 'tls-')), 'tls'));
  server = await listenDualProtocol({
    port: 0,
    tls,
    onRequest: (req, res) => res.end(`${'encrypted' in req.socket ? 'tls' : 'plain'} ${req.url}`),
    onUpgrade: (_req, socket) => socket.destroy(),
  });
});
afterAll(() => server.close());

function get(secure: boolean, host: string): Promise<string> {
  return new Promise((done, fail) => {
    const req = (secure ? httpsRequest : httpRequest)({ host, port: server.port, path: '/x', ...(secure && { ca: tls.caCert, servername: 'localhost' }) }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => done(body));
    });
    req.on('error', fail);
    req.end();
  });
}

describe('one port for HTTP and HTTPS', () => {
  it('answers plain HTTP and TLS on the same port, with a certificate the local CA signed', async () => {
    expect(await get(false, '127.0.0.1')).toBe('plain /x');
    expect(await get(true, '127.0.0.1')).toBe('tls /x');
  });

  it('reuses the CA across starts and refuses clients that do not trust it', async () => {
    const again = ensureLocalTls(join(tls.caCertPath, '..'));
    expect(again.caCert).toBe(tls.caCert);
    await expect(
      new Promise((done, fail) => httpsRequest({ host: '127.0.0.1', port: server.port, path: '/' }, done).on('error', fail).end()),
    ).rejects.toThrow(/self-signed|unable to verify|certificate/i);
  });
});
