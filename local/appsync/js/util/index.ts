// The `util` global (NPM-U lib/index.d.ts `Util`, D-UTIL): every member the package declares.
import { requireString } from './arguments.ts';
import { createDynamodbUtils } from './dynamodb.ts';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode } from './encoding.ts';
import { appendError, authType, unauthorized, utilError } from './errors.ts';
import { createHttpUtils } from './http.ts';
import { autoId, autoKsuid, autoUlid } from './ids.ts';
import { javaMatches } from './java-regex.ts';
import { createMathUtils } from './math.ts';
import { createRdsUtils } from './rds.ts';
import { createStringUtils } from './str.ts';
import { createTimeUtils } from './time/index.ts';
import { createTransformUtils } from './transform/index.ts';
import { createXmlUtils } from './xml.ts';

export function createUtil() {
  return deepFreeze({
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    autoId: () => autoId(),
    autoUlid: () => autoUlid(),
    autoKsuid: () => autoKsuid(),
    unauthorized,
    error: utilError,
    appendError,
    /** java.util.regex.Pattern.matches: the whole string must match. */
    matches: (pattern: unknown, value: unknown) => javaMatches(requireString('util.matches', pattern, 'the pattern'), requireString('util.matches', value, 'the value')),
    authType,
    time: createTimeUtils(),
    dynamodb: createDynamodbUtils(),
    rds: createRdsUtils(),
    http: createHttpUtils(),
    xml: createXmlUtils(),
    transform: createTransformUtils(),
    math: createMathUtils(),
    str: createStringUtils(),
  });
}

export type Util = ReturnType<typeof createUtil>;

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
}
