import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RealtimeServer } from './realtime/types.ts';

/** What one API's port serves; `graphql` and `outputs` change when the API is reloaded. */
export interface ApiEndpoint {
  graphqlPath: string;
  graphqlUrl: string;
  realtimeUrl: string;
  graphql(req: IncomingMessage, res: ServerResponse): Promise<void>;
  realtime: RealtimeServer;
  outputs: Record<string, unknown>;
  /** Static files (a web client) at `/`; answers whether it served the request. */
  web?: (req: IncomingMessage, res: ServerResponse) => boolean;
  log(line: string): void;
}

/** `GET /amplify_outputs.json`, the web client, `POST <graphql path>`; anything else is a 404 that says where the API is. */
export function routeRequest(endpoint: ApiEndpoint, req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/amplify_outputs.json' && req.method === 'GET') {
    // What a browser client needs to configure Amplify, from the same origin.
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' }).end(JSON.stringify(endpoint.outputs, null, 2));
  } else if (endpoint.web?.(req, res)) {
    return;
  } else if (path === endpoint.graphqlPath) {
    endpoint.graphql(req, res).catch((error: Error) => {
      endpoint.log(`POST ${endpoint.graphqlPath} failed: ${error.stack ?? error.message}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ errorType: 'InternalFailure', message: error.message }] }));
    });
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`Not found. GraphQL: POST ${endpoint.graphqlUrl}; real-time: ${endpoint.realtimeUrl}\n`);
  }
}

/** Amplify opens `<graphql url>/realtime` for any endpoint that is not `*.appsync-api.*`; both paths are served. */
export function routeUpgrade(endpoint: ApiEndpoint, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === `${endpoint.graphqlPath}/realtime` || path === endpoint.graphqlPath) endpoint.realtime.handleUpgrade(req, socket, head);
  else socket.destroy();
}
