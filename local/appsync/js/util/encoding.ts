// util.escapeJavaScript / urlEncode / urlDecode / base64Encode / base64Decode (D-UTIL).
import { argumentError, requireString } from './arguments.ts';

/**
 * Escapes a string the way Apache Commons `StringEscapeUtils.escapeJavaScript` does, which is
 * what AppSync's VTL-derived util uses: quotes, backslash, `/` and control characters are
 * escaped, and every character above U+007E becomes `\uXXXX` (upper-case hex).
 * UNVERIFIED against EvaluateCode: the exact escape set is inferred from the Java library.
 */
export function escapeJavaScript(value: unknown): string {
  const s = requireString('util.escapeJavaScript', value);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c > 0x7e) out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (c < 0x20) {
      const named: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r' };
      out += named[c] ?? (c > 0xf ? `\\u00${c.toString(16).toUpperCase()}` : `\\u000${c.toString(16).toUpperCase()}`);
    } else if (ch === '"' || ch === "'" || ch === '\\' || ch === '/') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * `application/x-www-form-urlencoded`, as Java's URLEncoder writes it: space becomes `+`,
 * `*`, `-`, `.`, `_` and alphanumerics are kept, everything else is %XX of its UTF-8 bytes.
 */
export function urlEncode(value: unknown): string {
  const s = requireString('util.urlEncode', value);
  return encodeURIComponent(s)
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

export function urlDecode(value: unknown): string {
  const s = requireString('util.urlDecode', value);
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw argumentError('util.urlDecode', `cannot decode ${JSON.stringify(s)}: it holds an incomplete or invalid %-escape`);
  }
}

export function base64Encode(value: unknown): string {
  return Buffer.from(requireString('util.base64Encode', value), 'utf8').toString('base64');
}

export function base64Decode(value: unknown): string {
  const s = requireString('util.base64Decode', value);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s+/g, '')) || s.replace(/\s+/g, '').length % 4 === 1) {
    throw argumentError('util.base64Decode', `${JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s)} is not base64`);
  }
  return Buffer.from(s, 'base64').toString('utf8');
}
