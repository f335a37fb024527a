import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { signAppSyncRequest } from '../../sdk/appsync-client.ts';
import type { LocalRuntime } from '../../local/runtime.ts';

/**
 * How a test caller authenticates: a function from the request it is about to make (URL
 * and exact body) to the header object AppSync reads — HTTP headers, the real-time handshake
 * header or a `start` frame's `extensions.authorization`, which all take the same object.
 */
export type Caller = (url: URL, body: string) => Promise<Record<string, string>>;

export const anonymous: Caller = async (url) => ({ host: url.host });

export const apiKey = (key: string): Caller => async (url) => ({ host: url.host, 'x-api-key': key });

export const bearer = (token: string): Caller => async (url) => ({ host: url.host, Authorization: token });

export function iam(credentials: { accessKeyId: string; secretAccessKey: string }, region: string, options: { signingDate?: Date; signedBody?: string } = {}): Caller {
  // The headers Amplify signs for IAM (AWSWebSocketProvider/authHeaders.ts).
  const headers = (url: URL) => ({ host: url.host, accept: 'application/json, text/javascript', 'content-encoding': 'amz-1.0', 'content-type': 'application/json; charset=UTF-8' });
  return (url, body) =>
    signAppSyncRequest({ url, region, credentials, headers: headers(url), body: options.signedBody ?? body, ...(options.signingDate && { signingDate: options.signingDate }) });
}

/** Signs a user in through the local Cognito with USER_PASSWORD_AUTH and returns its tokens. */
export async function signInTokens(runtime: LocalRuntime, clientId: string, username: string, password: string): Promise<{ idToken: string; accessToken: string }> {
  const cognito = new CognitoIdentityProviderClient({ endpoint: runtime.cognitoEndpoint!, region: runtime.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { AuthenticationResult } = await cognito.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: username, PASSWORD: password } }));
  cognito.destroy();
  return { idToken: AuthenticationResult!.IdToken!, accessToken: AuthenticationResult!.AccessToken! };
}

/** Re-signs nothing: changes the claims of a JWT and keeps its now-invalid signature. */
export function tamperedJwt(token: string, changes: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, ...changes })).toString('base64url')}.${signature}`;
}

/** An unsigned JWT (`alg: none`) with the claims of a real one. */
export function unsignedJwt(token: string): string {
  const payload = token.split('.')[1];
  return `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
}

export async function postGraphql(endpoint: string, caller: Caller, query: string, variables: Record<string, unknown> = {}, operationName?: string) {
  const url = new URL(endpoint);
  const body = JSON.stringify({ query, variables, ...(operationName !== undefined && { operationName }) });
  // fetch sets Host itself, to the same url.host that was signed.
  const { host: _host, ...headers } = await caller(url, body);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: (await response.json()) as { data?: Record<string, unknown> | null; errors?: { errorType?: string; message: string }[] } };
}
