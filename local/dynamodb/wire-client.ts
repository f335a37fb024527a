import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type {
  BatchGetItemCommandInput,
  BatchGetItemCommandOutput,
  BatchWriteItemCommandInput,
  BatchWriteItemCommandOutput,
  DeleteItemCommandInput,
  DeleteItemCommandOutput,
  GetItemCommandInput,
  GetItemCommandOutput,
  PutItemCommandInput,
  PutItemCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
  TransactGetItemsCommandInput,
  TransactGetItemsCommandOutput,
  TransactWriteItemsCommandInput,
  TransactWriteItemsCommandOutput,
  UpdateItemCommandInput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';

/**
 * The DynamoDB operations the data sources send, with the AWS SDK's own input and output types
 * (the wire's JSON has the same field names; B and BS travel as base64 and are Uint8Array here,
 * as the SDK gives them).
 */
export interface DynamoDbOperations {
  GetItem: [GetItemCommandInput, GetItemCommandOutput];
  PutItem: [PutItemCommandInput, PutItemCommandOutput];
  UpdateItem: [UpdateItemCommandInput, UpdateItemCommandOutput];
  DeleteItem: [DeleteItemCommandInput, DeleteItemCommandOutput];
  Query: [QueryCommandInput, QueryCommandOutput];
  Scan: [ScanCommandInput, ScanCommandOutput];
  BatchGetItem: [BatchGetItemCommandInput, BatchGetItemCommandOutput];
  BatchWriteItem: [BatchWriteItemCommandInput, BatchWriteItemCommandOutput];
  TransactGetItems: [TransactGetItemsCommandInput, TransactGetItemsCommandOutput];
  TransactWriteItems: [TransactWriteItemsCommandInput, TransactWriteItemsCommandOutput];
}

export type DynamoDbOperation = keyof DynamoDbOperations;

/**
 * DynamoDB's JSON protocol to DynamoDB Local, for the data sources' request path.
 *
 * Why not the AWS SDK here: measured against the same DynamoDB Local (bench/request-path.ts,
 * bench/results/request-path.md), the SDK v3 client spends ~600 µs of CPU per GetItem in its
 * middleware and serde, ten times this client, and on a 2-core machine that CPU is what the
 * JVM and the GraphQL executor need. Everything else (tables, streams, the Lambdas) keeps the SDK.
 */
export interface DynamoDbWire {
  call<O extends DynamoDbOperation>(operation: O, input: DynamoDbOperations[O][0], signal?: AbortSignal): Promise<DynamoDbOperations[O][1]>;
  destroy(): void;
}

/**
 * A service error in the AWS SDK's shape (`name`, `$fault`, `$metadata`, and the error body's
 * other fields such as `CancellationReasons` or `Item`), so the data sources report it as they
 * would an SDK exception.
 */
export class DynamoDbServiceError extends Error {
  readonly $fault: 'client' | 'server';
  readonly $metadata: { httpStatusCode: number; requestId?: string };
  [field: string]: unknown;

  constructor(name: string, message: string, statusCode: number, requestId: string | undefined, fields: Record<string, unknown>) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    this.$fault = statusCode >= 500 ? 'server' : 'client';
    this.$metadata = {
      httpStatusCode: statusCode,
      ...(requestId && { requestId }),
    };
  }
}

export function isServiceError(error: unknown, name: string): error is DynamoDbServiceError {
  return error instanceof DynamoDbServiceError && error.name === name;
}

export interface WireOptions {
  endpoint: string;
  region: string;
  /** Bounds a connection attempt, so that a request never hangs on a JVM that died. */
  connectTimeoutMs?: number;
  /** Bounds a request on an open connection (the JVM stopped answering). */
  requestTimeoutMs?: number;
}

/** DynamoDB's documented retryable answers: every 5xx ("OK to retry? Yes"), here at most twice. */
const ATTEMPTS = 3;
const BACKOFF_MS = 20;

export function createDynamoDbWire(options: WireOptions): DynamoDbWire {
  const url = new URL(options.endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const context: WireContext = {
    host: url.hostname,
    port: Number(url.port || 80),
    agent,
    // DynamoDB Local takes the access key and region from the Authorization header only to name
    // its database file, and with -sharedDb not even that; it does not verify the signature
    // ("These values don't have to be valid AWS values to run locally",
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html),
    // so signing each request would only cost CPU. This header is well-formed and says so.
    authorization: `AWS4-HMAC-SHA256 Credential=local/20240101/${options.region}/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=${'0'.repeat(64)}`,
    connectTimeoutMs: options.connectTimeoutMs ?? 2_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
  };
  return {
    async call(operation, input, signal) {
      const body = JSON.stringify(input, binaryAsBase64);
      for (let attempt = 1; ; attempt++) {
        try {
          return (await send(context, operation, body, signal)) as never;
        } catch (error) {
          if (attempt >= ATTEMPTS || signal?.aborted || !retryable(error)) throw error;
          await new Promise((r) => setTimeout(r, BACKOFF_MS * 2 ** (attempt - 1)));
        }
      }
    },
    destroy: () => agent.destroy(),
  };
}

interface WireContext {
  host: string;
  port: number;
  agent: Agent;
  authorization: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

/** A keep-alive socket that the server closed as we reused it (Node's documented retry case), or a 5xx. */
function retryable(error: unknown): boolean {
  if (error instanceof DynamoDbServiceError) return error.$fault === 'server';
  return (error as { reusedSocket?: boolean }).reusedSocket === true && (error as { code?: string }).code === 'ECONNRESET';
}

function send(context: WireContext, operation: DynamoDbOperation, body: string, signal: AbortSignal | undefined): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req: ClientRequest = request(
      {
        host: context.host,
        port: context.port,
        method: 'POST',
        path: '/',
        agent: context.agent,
        ...(signal && { signal }),
        headers: {
          'content-type': 'application/x-amz-json-1.0',
          'content-length': Buffer.byteLength(body),
          'x-amz-target': `DynamoDB_20120810.${operation}`,
          'x-amz-date': '20240101T000000Z',
          authorization: context.authorization,
        },
      },
      (res) => readResponse(res).then(resolve, reject)
    );
    req.setTimeout(context.requestTimeoutMs, () =>
      req.destroy(Object.assign(new Error(`DynamoDB Local did not answer ${operation} within ${context.requestTimeoutMs} ms`), { code: 'ETIMEDOUT' }))
    );
    req.once('socket', (socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () =>
          req.destroy(
            Object.assign(new Error(`could not connect to DynamoDB Local at ${context.host}:${context.port} within ${context.connectTimeoutMs} ms`), { code: 'ETIMEDOUT' })
          ),
        context.connectTimeoutMs
      );
      socket.once('connect', () => clearTimeout(timer)).once('close', () => clearTimeout(timer));
    });
    req.once('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
    req.end(body);
  });
}

async function readResponse(res: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const status = res.statusCode ?? 0;
  const requestId = header(res, 'x-amzn-requestid');
  let parsed: Record<string, unknown>;
  try {
    // `"B":` and `"BS":` occur unescaped only as keys, so most answers skip the reviver.
    parsed = (text === '' ? {} : JSON.parse(text, text.includes('"B":') || text.includes('"BS":') ? base64AsBinary : undefined)) as Record<string, unknown>;
  } catch {
    throw new DynamoDbServiceError(
      status >= 500 ? 'InternalServerError' : 'UnknownError',
      `DynamoDB Local answered ${status} with a body that is not JSON: ${text.slice(0, 200)}`,
      status,
      requestId,
      {}
    );
  }
  if (status >= 200 && status < 300) return parsed;
  const { __type, message, Message, ...fields } = parsed as {
    __type?: string;
    message?: string;
    Message?: string;
  };
  const name = String(__type ?? `Http${status}`)
    .split('#')
    .pop()!;
  throw new DynamoDbServiceError(name, message ?? Message ?? name, status, requestId, fields);
}

function header(res: IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** JSON.stringify replacer: binary attribute values (B, BS) as the base64 the wire carries. */
function binaryAsBase64(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key];
  return original instanceof Uint8Array ? Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') : value;
}

/** JSON.parse reviver: B and BS attribute values back to bytes, as the SDK returns them. */
function base64AsBinary(key: string, value: unknown): unknown {
  if (key === 'B' && typeof value === 'string') return new Uint8Array(Buffer.from(value, 'base64'));
  if (key === 'BS' && Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.map((v: string) => new Uint8Array(Buffer.from(v, 'base64')));
  return value;
}
