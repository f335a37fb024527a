import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { LocalTls } from '../tls/local-ca.ts';
import { listenDualProtocol, type DualProtocolServer } from './dual-protocol-server.ts';

/** What a port serves once its API is wired; until then requests get 503 and upgrades are refused. */
export interface PortHandlers {
  request?: (req: IncomingMessage, res: ServerResponse) => void;
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface ApiPort {
  server: DualProtocolServer;
  handlers: PortHandlers;
}

/**
 * One port (HTTP/WS and HTTPS/WSS) per API, opened before anything else: the API URLs are
 * attributes that templates (and Lambda environments) refer to. The first API gets `port`, or
 * the last persistent run's port when free, so URLs and configured clients stay valid across
 * restarts.
 */
export async function listenApiPorts(options: { count: number; tls: LocalTls; port: number | undefined; stateDir: string; persistent: boolean }): Promise<ApiPort[]> {
  const ports: ApiPort[] = [];
  const portFile = join(options.stateDir, 'port');
  const lastPort = options.port === undefined && options.persistent && existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
  try {
    for (let i = 0; i < options.count; i++) {
      const handlers: PortHandlers = {};
      const listen = (port: number) =>
        listenDualProtocol({
          port,
          tls: options.tls,
          onRequest: (req, res) => (handlers.request ? handlers.request(req, res) : res.writeHead(503).end('starting')),
          onUpgrade: (req, socket, head) => (handlers.upgrade ? handlers.upgrade(req, socket, head) : socket.destroy()),
        });
      const server = i === 0 && lastPort ? await listen(lastPort).catch(() => listen(0)) : await listen(i === 0 ? (options.port ?? 0) : 0);
      ports.push({ server, handlers });
    }
  } catch (error) {
    await Promise.all(ports.map((p) => p.server.close()));
    throw error;
  }
  if (options.persistent && ports[0]) writeFileSync(portFile, String(ports[0].server.port));
  return ports;
}
