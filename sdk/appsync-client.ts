import { request as httpRequest, Agent as HttpAgent, type IncomingMessage } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type AppSyncAuth =
  | { type: 'API_KEY'; apiKey: string }
  /** Without credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, read at each request (a Lambda's role). */
  | { type: 'AWS_IAM'; credentials?: AwsCredentials | (() => Promise<AwsCredentials>) }
  | { type: 'AMAZON_COGNITO_USER_POOLS'; token: string | (() => Promise<string>) };

export interface AppSyncClientOptions {
  /** The API's GraphQL URL, e.g. https://<id>.appsync-api.<region>.amazonaws.com/graphql. */
  endpoint: string;
  /** SigV4 signing region. Default: the region in an AppSync endpoint's host name, else AWS_REGION. */
  region?: string;
  auth: AppSyncAuth;
  /** Default 30 s, AppSync's own limit for a request. */
  timeoutMs?: number;
}

/** One entry of a GraphQL response's `errors`, with AppSync's additions. */
export interface AppSyncGraphQLError {
  message: string;
  errorType?: string | null;
  path?: (string | number)[];
  data?: unknown;
  errorInfo?: unknown;
  locations?: { line: number; column: number; sourceName?: string | null }[];
}

/** A request AppSync refused (HTTP status) or answered with GraphQL errors, carrying both. */
export class AppSyncRequestError extends Error {
  readonly status: number;
  readonly errors: AppSyncGraphQLError[];
  /** The partial `data` next to the errors, if any. */
  readonly data: unknown;
  constructor(message: string, status: number, errors: AppSyncGraphQLError[], data: unknown) {
    super(message);
    this.name = 'AppSyncRequestError';
    this.status = status;
    this.errors = errors;
    this.data = data;
  }
}

export interface AppSyncClient {
  /** Runs one operation; resolves to its `data`, or rejects with AppSyncRequestError. */
  request<TData = Record<string, unknown>, TVars = Record<string, unknown>>(query: string, variables?: TVars): Promise<TData>;
  /** Closes the client's idle keep-alive connections. */
  close(): void;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The headers of a SigV4-signed `POST` of `body` to an AppSync URL (service `appsync`): what
 * an IAM caller sends over HTTP, and — lower-cased — what goes in a real-time handshake or
 * `start` frame's authorization object.
 */
export async function signAppSyncRequest(request: {
  url: URL;
  region: string;
  credentials: AwsCredentials;
  headers: Record<string, string>;
  body: string;
  signingDate?: Date;
}): Promise<Record<string, string>> {
  const { url } = request;
  const signer = new SignatureV4({ service: 'appsync', region: request.region, credentials: request.credentials, sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      headers: request.headers,
      body: request.body,
    }),
    request.signingDate ? { signingDate: request.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

/** A GraphQL client for AppSync with its three header-based auth modes; IAM requests are SigV4-signed (service `appsync`). */
export function createAppSyncClient(options: AppSyncClientOptions): AppSyncClient {
  const url = new URL(options.endpoint);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`createAppSyncClient: endpoint must be an http(s) URL, got ${options.endpoint}`);
  const auth = options.auth;
  const region = signingRegion(url, options.region);
  if (auth.type === 'AWS_IAM' && !region) throw new Error(`createAppSyncClient: AWS_IAM needs a signing region; pass \`region\` or set AWS_REGION (endpoint ${options.endpoint})`);
  const secure = url.protocol === 'https:';
  // Keep-alive: a Lambda publishes many times per warm container. HTTPS uses Node's default
  // trust store, which includes NODE_EXTRA_CA_CERTS (the local runtime's CA).
  const agent = secure ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function headersFor(body: string): Promise<Record<string, string>> {
    const headers: Record<string, string> = {
      host: url.host,
      accept: 'application/json',
      'content-type': 'application/json; charset=UTF-8',
    };
    switch (auth.type) {
      case 'API_KEY':
        return { ...headers, 'x-api-key': auth.apiKey };
      case 'AMAZON_COGNITO_USER_POOLS':
        return { ...headers, authorization: typeof auth.token === 'function' ? await auth.token() : auth.token };
      case 'AWS_IAM': {
        const credentials = typeof auth.credentials === 'function' ? await auth.credentials() : (auth.credentials ?? credentialsFromEnvironment());
        return signAppSyncRequest({ url, region: region!, credentials, headers, body });
      }
    }
  }

  return {
    async request<TData, TVars>(query: string, variables?: TVars): Promise<TData> {
      const body = JSON.stringify({ query, variables: variables ?? {} });
      const headers = await headersFor(body);
      const { status, text } = await post(url, headers, body, agent, secure, timeoutMs);
      const operation = operationName(query);
      let parsed: { data?: unknown; errors?: AppSyncGraphQLError[] };
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new AppSyncRequestError(`${operation}: AppSync answered HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`, status, [], undefined);
      }
      const errors = Array.isArray(parsed.errors) ? parsed.errors : [];
      if (status < 200 || status >= 300 || errors.length > 0) {
        const described = errors.map((e) => `${e.errorType ? `${e.errorType}: ` : ''}${e.message}${e.path ? ` (at ${e.path.join('.')})` : ''}`).join('; ');
        throw new AppSyncRequestError(`${operation}: AppSync answered HTTP ${status}${described ? ` with ${described}` : ''}`, status, errors, parsed.data);
      }
      return parsed.data as TData;
    },
    close() {
      agent.destroy();
    },
  };
}

/** The region to sign for: the one given, else the one in an AppSync host name, else AWS_REGION. */
export function signingRegion(endpoint: URL, region?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return region ?? /\.appsync-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(endpoint.hostname)?.[1] ?? env.AWS_REGION;
}

/** The credentials Lambda gives a function's execution role. */
export function credentialsFromEnvironment(env: NodeJS.ProcessEnv = process.env): AwsCredentials {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = env;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('AWS_IAM auth without credentials reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, and they are not set');
  }
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }) };
}

function operationName(query: string): string {
  const match = /\b(query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query);
  return match ? `${match[1]} ${match[2]}` : 'GraphQL request';
}

/**
 * One POST. A kept-alive socket that the server closed while idle fails the request sent on it
 * with ECONNRESET before any answer; the server never read that request, so it goes again on
 * another socket — the retry Node's documentation prescribes for `request.reusedSocket`
 * (https://nodejs.org/api/http.html#requestreusedsocket). A reset on a new socket is an error.
 */
function post(url: URL, headers: Record<string, string>, body: string, agent: HttpAgent, secure: boolean, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = secure ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`AppSync request to ${url.href} timed out after ${timeoutMs} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (req.reusedSocket && error.code === 'ECONNRESET') resolve(post(url, headers, body, agent, secure, timeoutMs));
      else reject(new Error(`AppSync request to ${url.href} failed: ${error.message}`, { cause: error }));
    });
    req.end(body);
  });
}
