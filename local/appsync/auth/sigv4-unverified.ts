/**
 * SigV4 for AWS_IAM requests — FIRST CUT, SIGNATURE NOT VERIFIED.
 *
 * The walking skeleton accepts any well-formed `AWS4-HMAC-SHA256` Authorization header for
 * service `appsync` without checking its signature, date skew or body hash. This is the one
 * place that the auth issue replaces with real verification against local credentials.
 * Until then, IAM-only fields are only as safe as this parser: do not rely on them locally.
 */

const SIGV4 = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export interface IamIdentity {
  accountId: string;
  cognitoIdentityPoolId: null;
  cognitoIdentityId: null;
  sourceIp: string[];
  username: string;
  userArn: string;
  cognitoIdentityAuthType: null;
  cognitoIdentityAuthProvider: null;
}

export type SigV4Outcome = { ok: true; identity: IamIdentity } | { ok: false; message: string };

export function acceptWellFormedSigV4(headers: Record<string, unknown>, accountId: string, sourceIp: string[]): SigV4Outcome {
  const authorization = String(headers.authorization ?? '');
  const match = SIGV4.exec(authorization);
  if (!match) return { ok: false, message: 'the Authorization header is not a well-formed AWS4-HMAC-SHA256 signature' };
  const [, accessKeyId, , , service] = match;
  if (service !== 'appsync') return { ok: false, message: `the request is signed for service ${service}; expected appsync` };
  if (typeof headers['x-amz-date'] !== 'string') return { ok: false, message: 'the signed request has no x-amz-date header' };
  return {
    ok: true,
    identity: {
      accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp,
      username: accessKeyId!,
      userArn: `arn:aws:iam::${accountId}:user/${accessKeyId}`,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    },
  };
}
