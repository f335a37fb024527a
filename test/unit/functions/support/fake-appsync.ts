import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse, type OperationDefinitionNode } from 'graphql';
import { verifySigV4, type SigV4Verdict } from '../../../../local/appsync/auth/sigv4.ts';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The root field of the operation, e.g. `publishPriceUpdate`. */
  field: string;
  variables: Record<string, any>;
  /** The signature checked by the local runtime's SigV4 verifier (a recomputation with @smithy/signature-v4 and the fake's secrets). */
  signature: SigV4Verdict;
}

export interface FakeAppSync {
  url: string;
  requests: RecordedRequest[];
  /** How to answer the next requests: by default `{ data: { <field>: variables.input } }`. */
  respond: (request: RecordedRequest) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/**
 * A stand-in for AppSync's publish endpoint in handler unit tests: records every request
 * with its signature verdict and answers like a NONE-data-source publish mutation.
 */
export async function startFakeAppSync(options: { region: string; secrets: Record<string, string> }): Promise<FakeAppSync> {
  const fake: FakeAppSync = {
    url: '',
    requests: [],
    respond: (request) => ({ status: 200, body: { data: { [request.field]: request.variables.input ?? null } } }),
    close: () => new Promise((done) => server.close(() => done())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { query, variables } = JSON.parse(body) as { query: string; variables: Record<string, any> };
      const operation = parse(query).definitions[0] as OperationDefinitionNode;
      const field = (operation.selectionSet.selections[0] as { name: { value: string } }).name.value;
      const url = new URL(req.url!, 'http://x');
      const recorded: RecordedRequest = {
        method: req.method!,
        path: url.pathname,
        headers: req.headers,
        body,
        field,
        variables,
        signature: await verifySigV4(
          { method: req.method!, path: url.pathname, query: url.search.slice(1), headers: req.headers as Record<string, unknown>, body },
          { region: options.region, service: 'appsync', secretFor: (id) => options.secrets[id] },
        ),
      };
      fake.requests.push(recorded);
      const { status, body: answer } = await fake.respond(recorded);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return fake;
}
