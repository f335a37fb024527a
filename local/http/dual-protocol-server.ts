import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface DualProtocolOptions {
  /** 0 picks a free port. */
  port: number;
  tls: { cert: string; key: string };
  onRequest(req: IncomingMessage, res: ServerResponse): void;
  onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface DualProtocolServer {
  port: number;
  close(): Promise<void>;
}

const TLS_HANDSHAKE = 0x16;
const FIRST_BYTE_TIMEOUT_MS = 30_000;

/**
 * One port for http/ws and https/wss: aws-amplify v6 always opens `wss://`, even for an
 * `http://` endpoint, so both must answer on the GraphQL endpoint's host and port. The
 * first byte of a connection tells a TLS ClientHello from plain HTTP.
 * Listens on loopback only (IPv4, and IPv6 when the machine has it), never on the network.
 */
export async function listenDualProtocol(options: DualProtocolOptions): Promise<DualProtocolServer> {
  const http = createHttpServer(options.onRequest);
  const https = createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, options.onRequest);
  for (const server of [http, https]) {
    server.on('upgrade', options.onUpgrade);
    server.on('clientError', answerClientError);
  }
  https.on('tlsClientError', (_error, socket) => socket.destroy());

  const sockets = new Set<Socket>();
  const route = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // A connection that never sends a byte reaches neither HTTP server, so neither's timeouts apply.
    const silent = () => socket.destroy();
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, silent);
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.off('timeout', silent);
      socket.pause();
      socket.unshift(first);
      (first[0] === TLS_HANDSHAKE ? https : http).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  };

  const v4 = createNetServer(route);
  const port = await listen(v4, options.port, '127.0.0.1');
  const listeners: Server[] = [v4];
  const v6 = createNetServer(route);
  try {
    await listen(v6, port, '::1');
    listeners.push(v6);
  } catch {
    // No IPv6 loopback on this machine: `localhost` then resolves to 127.0.0.1 only.
  }

  return {
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(listeners.map((server) => new Promise<void>((done) => server.close(() => done()))));
      http.closeAllConnections();
      https.closeAllConnections();
    },
  };
}

/**
 * What Node itself answers when nobody listens for `clientError` (too-large headers get 431, other
 * unparsable requests 400), then the connection ends; a socket already reset is just dropped.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), 1_000).unref();
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen({ port, host, exclusive: true }, () => {
      server.off('error', fail);
      const address = server.address();
      done(typeof address === 'object' && address ? address.port : port);
    });
  });
}
