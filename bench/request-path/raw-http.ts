/**
 * A minimal HTTP/1.1 client for the closed-loop load: one keep-alive socket per request in
 * flight, requests written as one prepared string, answers framed by Content-Length or chunked
 * encoding. node:http's client costs the load generator about as much CPU per request as the
 * fastest server spends (both ~90% of a core at ~9,000 req/s on a 2-vCPU VM), and on two cores
 * that CPU is taken from the server being measured; wrk and autocannon are written lean for the
 * same reason. Only what the three benchmark servers answer is supported: anything else fails
 * the request with what was received, never a guess.
 */
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  status: number;
  body: string;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive connection that carries one request at a time. */
export class RawHttpConnection {
  readonly #host: string;
  readonly #port: number;
  readonly #head: string;
  #socket: Socket | undefined;
  #pending: Buffer = Buffer.alloc(0);
  #waiting: { resolve(answer: RawAnswer): void; reject(error: Error): void } | undefined;

  /** `headers` are sent with every POST, after Host and before Content-Length. */
  constructor(url: URL, headers: Record<string, string>) {
    this.#host = url.hostname;
    this.#port = Number(url.port || 80);
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    this.#head = `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n${lines}`;
  }

  post(body: string): Promise<RawAnswer> {
    if (this.#waiting) return Promise.reject(new Error('RawHttpConnection carries one request at a time'));
    const socket = (this.#socket ??= this.#open());
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      socket.write(`${this.#head}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.#socket?.destroy();
  }

  #open(): Socket {
    const socket = connect({ host: this.#host, port: this.#port, noDelay: true });
    socket.on('data', (chunk: Buffer) => {
      this.#pending = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
      try {
        this.#parse();
      } catch (error) {
        this.#settle(error as Error);
        this.close();
      }
    });
    // A socket already replaced (after an answer that closed it) has nobody waiting on it.
    const gone = (error?: Error) => {
      if (this.#socket !== socket) return;
      this.#socket = undefined;
      this.#pending = Buffer.alloc(0);
      this.#settle(error ?? new Error('the server closed the connection before answering'));
    };
    socket.on('error', gone).on('close', () => gone());
    return socket;
  }

  #settle(outcome: RawAnswer | Error): void {
    const waiting = this.#waiting;
    if (!waiting) return;
    this.#waiting = undefined;
    if (outcome instanceof Error) waiting.reject(outcome);
    else waiting.resolve(outcome);
  }

  #parse(): void {
    const buffer = this.#pending;
    const headEnd = buffer.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = buffer.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    const bodyStart = headEnd + 4;
    let body: string;
    let consumed: number;
    if (length) {
      consumed = bodyStart + Number(length[1]);
      if (buffer.length < consumed) return;
      body = buffer.toString('utf8', bodyStart, consumed);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const chunked = readChunked(buffer, bodyStart);
      if (!chunked) return;
      ({ body, consumed } = chunked);
    } else {
      throw new Error(`an answer with neither Content-Length nor chunked encoding: ${head.slice(0, 300)}`);
    }
    this.#pending = buffer.subarray(consumed);
    if (/\r\nconnection:\s*close/i.test(head)) {
      // Nothing after this answer belongs to the next request, which goes on a new connection.
      this.#socket?.destroy();
      this.#socket = undefined;
      this.#pending = Buffer.alloc(0);
    }
    this.#settle({ status, body });
  }
}

/** A complete chunked body from `start` (no trailers: none of the servers sends any), or undefined while more is to come. */
function readChunked(buffer: Buffer, start: number): { body: string; consumed: number } | undefined {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buffer.indexOf('\r\n', at);
    if (lineEnd < 0) return undefined;
    const size = parseInt(buffer.toString('latin1', at, lineEnd), 16);
    if (Number.isNaN(size)) throw new Error(`a chunk size that is not hexadecimal: ${buffer.toString('latin1', at, lineEnd)}`);
    const dataEnd = lineEnd + 2 + size;
    if (buffer.length < dataEnd + 2) return undefined;
    if (size === 0) return { body: Buffer.concat(parts).toString('utf8'), consumed: dataEnd + 2 };
    parts.push(buffer.subarray(lineEnd + 2, dataEnd));
    at = dataEnd + 2;
  }
}
