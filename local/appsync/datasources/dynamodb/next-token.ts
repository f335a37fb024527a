import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { DataSourceRequestError } from '../errors.ts';

/**
 * AppSync's `nextToken`: encrypted, opaque, and valid only for the resolver or function that
 * produced it (docs/reference/appsync-js-runtime.md §6.2). Ours is AES-256-GCM over DynamoDB's LastEvaluatedKey with the
 * binding (field, data source, operation, table, index) as authenticated data, wrapped the way
 * AppSync's look: base64 of `{"version":2,"token":"…"}`.
 */
export interface NextTokens {
  encode(lastEvaluatedKey: Record<string, AttributeValue> | undefined, binding: string): string | null;
  /** The key to continue from; throws AppSync's error for a token that is not this binding's. */
  decode(token: unknown, binding: string): Record<string, AttributeValue> | undefined;
}

/** As AppSync reports a bad token [reported: aws-amplify/amplify-cli#3411]. */
export function invalidToken(): DataSourceRequestError {
  return new DataSourceRequestError(
    'DynamoDB:UserIllegalArgumentException',
    'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
  );
}

/** `secret` keeps tokens valid across restarts of a persistent runtime; absent, they last one run. */
export function createNextTokens(secret: string | Buffer = randomBytes(32)): NextTokens {
  const key = createHash('sha256').update('appsync-next-token\0').update(secret).digest();
  return {
    encode(lastEvaluatedKey, binding) {
      if (!lastEvaluatedKey) return null;
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(binding));
      const sealed = Buffer.concat([cipher.update(JSON.stringify(serializeKey(lastEvaluatedKey))), cipher.final()]);
      const token = Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
      return Buffer.from(JSON.stringify({ version: 2, token })).toString('base64');
    },
    decode(token, binding) {
      if (token === undefined || token === null) return undefined;
      if (typeof token !== 'string') throw invalidToken();
      try {
        const wrapper = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { version?: number; token?: string };
        const raw = Buffer.from(String(wrapper.token), 'base64');
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAAD(Buffer.from(binding));
        decipher.setAuthTag(raw.subarray(12, 28));
        const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
        return deserializeKey(JSON.parse(plain) as SerializedKey);
      } catch {
        throw invalidToken();
      }
    },
  };
}

/** Key attributes are S, N or B: kept exactly (N as DynamoDB's text, B as base64). */
type SerializedKey = Record<string, { S?: string; N?: string; B?: string }>;

function serializeKey(key: Record<string, AttributeValue>): SerializedKey {
  return Object.fromEntries(
    Object.entries(key).map(([name, v]) => [name, v.B !== undefined ? { B: Buffer.from(v.B).toString('base64') } : v.N !== undefined ? { N: v.N } : { S: v.S! }]),
  );
}

function deserializeKey(key: SerializedKey): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(key).map(([name, v]) => [name, v.B !== undefined ? { B: new Uint8Array(Buffer.from(v.B, 'base64')) } : v.N !== undefined ? { N: v.N } : { S: v.S! }]),
  );
}
