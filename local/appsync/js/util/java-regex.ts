// AppSync reads the string pattern of util.matches and of String replace/replaceAll/split as a
// java.util.regex.Pattern (D-FEAT, D-UTIL). This module translates such a pattern to an
// equivalent JavaScript RegExp where the two dialects differ (`.`, `^`, `$`, `\s`, `\h`, `\v`,
// `\R`, `\A`, `\z`, `\Z`, `\Q…\E`, inline flags, POSIX and Java character classes, octal and
// `\x{…}` escapes, a leading `]` in a class) and refuses, with a message naming the construct,
// what it cannot express: possessive quantifiers, atomic groups, `\G`, `\X`, `\N{…}`, class
// union and intersection, Unicode blocks.
import { BoundedCache } from '../../../support/bounded-cache.ts';

export class UnsupportedJavaRegexError extends Error {
  constructor(pattern: string, problem: string) {
    super(`the Java regular expression ${JSON.stringify(pattern)} cannot be run by the local runtime: ${problem}`);
    this.name = 'UnsupportedJavaRegexError';
  }
}

export interface TranslatedRegex {
  source: string;
  /** `u` always; `i` when the pattern starts with `(?i)`. */
  flags: string;
}

interface Flags {
  i: boolean;
  s: boolean;
  m: boolean;
  x: boolean;
  d: boolean;
}

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const JAVA_SPACE = '\\t\\n\\x0B\\f\\r ';
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180E\\u2000-\\u200A\\u202F\\u205F\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';
const SYNTAX_CHARS = new Set('^$\\.*+?()[]{}|/'.split(''));
const CLASS_SPECIAL = new Set(['\\', ']', '[', '^', '-']);

const POSIX: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: JAVA_SPACE,
};
const JAVA_CHARACTER: Record<string, string> = {
  javaLowerCase: '\\p{Lowercase}',
  javaUpperCase: '\\p{Uppercase}',
  javaWhitespace: JAVA_SPACE + '\\x1C-\\x1F\\u1680\\u2000-\\u2006\\u2008-\\u200A\\u2028\\u2029\\u205F\\u3000',
  javaAlphabetic: '\\p{Alphabetic}',
  javaLetter: '\\p{L}',
  javaDigit: '\\p{Nd}',
  javaLetterOrDigit: '\\p{L}\\p{Nd}',
};

const cache = new BoundedCache<string, TranslatedRegex>(500);

/** Translates a Java regular expression; throws UnsupportedJavaRegexError. Cached. */
export function translateJavaRegex(pattern: string): TranslatedRegex {
  return cache.getOrCreate(pattern, () => {
    const hit = new Translator(pattern).translate();
    try {
      new RegExp(hit.source, hit.flags);
    } catch (error) {
      throw new UnsupportedJavaRegexError(pattern, (error as Error).message);
    }
    return hit;
  });
}

export function javaRegExp(pattern: string, extraFlags = ''): RegExp {
  const { source, flags } = translateJavaRegex(pattern);
  return new RegExp(source, flags + extraFlags);
}

/** java.util.regex.Pattern.matches: the whole input must match. */
export function javaMatches(pattern: string, input: string): boolean {
  const { source, flags } = translateJavaRegex(pattern);
  return new RegExp(`^(?:${source})$`, flags).test(input);
}

/**
 * String.replace / replaceAll with a string pattern read as a Java regex, and a replacement
 * string read as Java's Matcher replacement (`$n`, `${name}`, `\` escapes) — UNVERIFIED: the
 * docs say only that the pattern is a Java regex; the replacement syntax follows from that.
 */
export function javaReplace(input: string, pattern: string, replacement: unknown, all: boolean): string {
  const regex = javaRegExp(pattern, 'g');
  const parts: string[] = [];
  let last = 0;
  for (let match = regex.exec(input); match; match = regex.exec(input)) {
    parts.push(input.slice(last, match.index));
    parts.push(typeof replacement === 'function' ? String(replacement(...match, match.index, input)) : expandReplacement(String(replacement), match, pattern));
    last = match.index + match[0].length;
    if (match[0].length === 0) regex.lastIndex = advance(input, regex.lastIndex);
    if (!all) break;
  }
  parts.push(input.slice(last));
  return parts.join('');
}

/**
 * String.split with a string separator read as a Java regex. The array follows JavaScript's
 * split of a string separator (trailing empty strings kept, `limit` truncates, no capture
 * groups spliced in) — UNVERIFIED which of Java's and JavaScript's array rules AppSync keeps.
 */
export function javaSplit(input: string, pattern: string, limit?: unknown): string[] {
  const max = limit === undefined ? 2 ** 32 - 1 : Number(limit) >>> 0;
  if (max === 0) return [];
  const regex = javaRegExp(pattern, 'y');
  if (input.length === 0) return regex.test('') ? [] : [''];
  const out: string[] = [];
  let p = 0;
  let q = 0;
  while (q < input.length) {
    regex.lastIndex = q;
    const match = regex.exec(input);
    const e = match ? regex.lastIndex : -1;
    if (!match || e === p) {
      q = advance(input, q);
      continue;
    }
    out.push(input.slice(p, q));
    if (out.length === max) return out;
    p = e;
    q = p;
  }
  out.push(input.slice(p));
  return out.slice(0, max);
}

function advance(input: string, index: number): number {
  const code = input.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff && index + 1 < input.length ? index + 2 : index + 1;
}

function expandReplacement(replacement: string, match: RegExpExecArray, pattern: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) throw new UnsupportedJavaRegexError(pattern, 'the replacement ends with a lone backslash (Java: "character to be escaped is missing")');
      out += replacement[i];
    } else if (c === '$') {
      i++;
      if (replacement[i] === '{') {
        const end = replacement.indexOf('}', i);
        const name = end > 0 ? replacement.slice(i + 1, end) : '';
        if (!name || !match.groups || !(name in match.groups)) throw new Error(`String.replace: the replacement refers to a group named ${JSON.stringify(name)} that the pattern does not have (Java: "No group with name")`);
        out += match.groups[name] ?? '';
        i = end;
      } else if (/[0-9]/.test(replacement[i] ?? '')) {
        let group = Number(replacement[i]);
        if (group >= match.length) throw new Error(`String.replace: the replacement refers to group ${group}, but the pattern has ${match.length - 1} (Java: "No group ${group}")`);
        while (/[0-9]/.test(replacement[i + 1] ?? '') && group * 10 + Number(replacement[i + 1]) < match.length) group = group * 10 + Number(replacement[++i]);
        out += match[group] ?? '';
      } else {
        throw new Error('String.replace: a "$" in the replacement must start a group reference ($1, ${name}); write "\\$" for a literal dollar (Java: "Illegal group reference")');
      }
    } else out += c;
  }
  return out;
}

class Translator {
  private i = 0;
  private readonly out: string[] = [];
  private readonly flagStack: Flags[] = [];
  private flags: Flags = { i: false, s: false, m: false, x: false, d: false };
  private globalI = false;
  /** Per open group: the modifier groups `(?i:` that inline flags opened inside it. */
  private readonly modifiers: string[][] = [[]];
  private pristine = true;
  private readonly pattern: string;

  constructor(pattern: string) {
    this.pattern = pattern;
  }

  translate(): TranslatedRegex {
    const p = this.pattern;
    while (this.i < p.length) this.term();
    if (this.flagStack.length > 0) this.fail('a group is not closed (Java: "Unclosed group")');
    this.out.push(')'.repeat(this.modifiers[0]!.length));
    return { source: this.out.join(''), flags: this.globalI ? 'iu' : 'u' };
  }

  private fail(problem: string): never {
    throw new UnsupportedJavaRegexError(this.pattern, problem);
  }

  private term(): void {
    const p = this.pattern;
    const c = p[this.i]!;
    if (this.flags.x && /\s/.test(c)) {
      this.i++;
      return;
    }
    if (this.flags.x && c === '#') {
      while (this.i < p.length && p[this.i] !== '\n') this.i++;
      return;
    }
    const wasPristine = this.pristine;
    this.pristine = false;
    switch (c) {
      case '\\':
        this.out.push(this.escape(false));
        return this.quantifier();
      case '[':
        this.out.push(this.characterClass());
        return this.quantifier();
      case '(':
        return this.group(wasPristine);
      case ')':
        if (this.flagStack.length === 0) this.fail('a ")" has no matching "(" (Java: "Unmatched closing \')\'")');
        this.i++;
        this.out.push(')'.repeat(this.modifiers.pop()!.length + 1));
        this.flags = this.flagStack.pop()!;
        return this.quantifier();
      case '.':
        this.i++;
        this.out.push(this.flags.s ? '[\\s\\S]' : this.flags.d ? '[^\\n]' : `[^${LINE_TERMINATORS}]`);
        return this.quantifier();
      case '^':
        this.i++;
        this.out.push(this.flags.m ? (this.flags.d ? '(?<![^\\n])' : `(?<![^${LINE_TERMINATORS}])`) : '(?<![\\s\\S])');
        return;
      case '$':
        this.i++;
        if (this.flags.m) this.out.push(this.flags.d ? '(?=\\n|(?![\\s\\S]))' : `(?=[${LINE_TERMINATORS}]|(?![\\s\\S]))`);
        else this.out.push(this.flags.d ? '(?=\\n?(?![\\s\\S]))' : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`);
        return;
      case '|': {
        // Inline flags hold for the rest of the enclosing group, every alternative included.
        this.i++;
        const open = this.modifiers[this.modifiers.length - 1]!;
        this.out.push(`${')'.repeat(open.length)}|${open.join('')}`);
        return;
      }
      case '*':
      case '+':
      case '?':
        this.fail(`"${c}" at position ${this.i} has nothing to repeat (Java: "Dangling meta character")`);
        break;
      case '{':
        this.fail(`"{" at position ${this.i} does not start a valid repetition (Java: "Illegal repetition")`);
        break;
      default:
        this.i++;
        this.out.push(literal(c, false));
        return this.quantifier();
    }
  }

  private quantifier(): void {
    const p = this.pattern;
    const c = p[this.i];
    let q: string | undefined;
    if (c === '*' || c === '+' || c === '?') {
      q = c;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(this.i));
      if (!m) this.fail(`"{" at position ${this.i} does not start a valid repetition (Java: "Illegal repetition")`);
      q = m[0];
      this.i += m[0].length;
    }
    if (q === undefined) return;
    if (p[this.i] === '?') {
      q += '?';
      this.i++;
    } else if (p[this.i] === '+') {
      this.fail(`the possessive quantifier "${q}+" has no JavaScript equivalent`);
    }
    this.out.push(q);
    if (/[*+?{]/.test(p[this.i] ?? '')) this.fail(`"${p[this.i]}" at position ${this.i} follows a quantifier (Java would read it as a nested repetition)`);
  }

  private group(atStart: boolean): void {
    const p = this.pattern;
    this.i++;
    if (p[this.i] !== '?') {
      this.open('(', { ...this.flags });
      return;
    }
    const rest = p.slice(this.i + 1);
    const lookaround = /^(<=|<!|=|!|:)/.exec(rest);
    if (lookaround) {
      this.i += 1 + lookaround[0].length;
      this.open(`(?${lookaround[0]}`, { ...this.flags });
      return;
    }
    const named = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
    if (named) {
      this.i += 1 + named[0].length;
      this.open(`(?<${named[1]}>`, { ...this.flags });
      return;
    }
    if (rest.startsWith('>')) this.fail('atomic groups "(?>…)" have no JavaScript equivalent');
    const inline = /^([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(rest);
    if (!inline) this.fail(`unknown group construct "(?${rest.slice(0, 3)}…" (Java: "Unknown inline modifier")`);
    this.i += 1 + inline[0].length;
    const next = { ...this.flags };
    for (const f of inline[1]!) this.setFlag(next, f, true);
    for (const f of inline[2] ?? '') this.setFlag(next, f, false);
    const caseChange = next.i !== this.flags.i;
    if (inline[3] === ':') {
      this.open(caseChange ? `(?${next.i ? 'i' : '-i'}:` : '(?:', next);
      return;
    }
    // `(?flags)`: applies to the rest of the enclosing group.
    if (caseChange) {
      if (atStart && this.flagStack.length === 0) this.globalI = next.i;
      else {
        const token = `(?${next.i ? 'i' : '-i'}:`;
        this.out.push(token);
        this.modifiers[this.modifiers.length - 1]!.push(token);
      }
    }
    this.flags = next;
    this.pristine = atStart;
  }

  private setFlag(flags: Flags, f: string, on: boolean): void {
    if (f === 'i' || f === 's' || f === 'm' || f === 'x' || f === 'd') flags[f] = on;
    // `u` (Unicode case folding) is what JavaScript's `i` does under the `u` flag anyway;
    // `U` (UNICODE_CHARACTER_CLASS) would widen \w, \d and \b to Unicode.
    else if (f === 'U' && on) this.fail('the UNICODE_CHARACTER_CLASS flag "(?U)" is not supported');
  }

  private open(token: string, flags: Flags): void {
    this.out.push(token);
    this.flagStack.push(this.flags);
    this.flags = flags;
    this.modifiers.push([]);
  }

  /** An escape at `this.i` (the backslash); inside a class it yields class content. */
  private escape(inClass: boolean): string {
    const p = this.pattern;
    const c = p[this.i + 1];
    if (c === undefined) this.fail('the pattern ends with a lone backslash (Java: "Unexpected internal error")');
    this.i += 2;
    const wrap = (content: string) => (inClass ? content : `[${content}]`);
    switch (c) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'b':
      case 'B':
      case 't':
      case 'n':
      case 'r':
      case 'f':
        if (inClass && (c === 'b' || c === 'B')) this.fail('"\\b" inside a character class is not allowed in Java');
        if (!inClass && (c === 'b' || c === 'B') && p[this.i] === '{') this.fail('"\\b{g}" grapheme boundaries are not supported');
        return `\\${c}`;
      case 's':
        return wrap(JAVA_SPACE);
      case 'S':
        return inClass ? '\\S' : `[^${JAVA_SPACE}]`;
      case 'h':
        return wrap(HORIZONTAL_SPACE);
      case 'H':
        if (inClass) this.fail('"\\H" inside a character class is not supported');
        return `[^${HORIZONTAL_SPACE}]`;
      case 'v':
        return wrap(VERTICAL_SPACE);
      case 'V':
        if (inClass) this.fail('"\\V" inside a character class is not supported');
        return `[^${VERTICAL_SPACE}]`;
      case 'R':
        if (inClass) this.fail('"\\R" inside a character class is not allowed in Java');
        return `(?:\\r\\n|[${VERTICAL_SPACE}])`;
      case 'A':
        return '(?<![\\s\\S])';
      case 'z':
        return '(?![\\s\\S])';
      case 'Z':
        return `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
      case 'a':
        return '\\x07';
      case 'e':
        return '\\x1B';
      case 'c': {
        const ch = p[this.i];
        if (ch === undefined) this.fail('"\\c" needs a control character after it');
        this.i++;
        return codePoint(ch.charCodeAt(0) ^ 64);
      }
      case '0': {
        const m = /^([0-3][0-7]{2}|[0-7]{1,2})/.exec(p.slice(this.i));
        if (!m) this.fail('"\\0" must be followed by an octal digit (Java: "Illegal octal escape sequence")');
        this.i += m[0].length;
        return codePoint(parseInt(m[0], 8));
      }
      case 'x': {
        if (p[this.i] === '{') {
          const end = p.indexOf('}', this.i);
          const hex = p.slice(this.i + 1, end);
          if (end < 0 || !/^[0-9a-fA-F]+$/.test(hex)) this.fail('"\\x{…}" must hold hexadecimal digits');
          this.i = end + 1;
          return codePoint(parseInt(hex, 16));
        }
        const hex = p.slice(this.i, this.i + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail('"\\x" must be followed by two hexadecimal digits');
        this.i += 2;
        return `\\x${hex}`;
      }
      case 'u': {
        const hex = p.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('"\\u" must be followed by four hexadecimal digits');
        this.i += 4;
        return `\\u${hex}`;
      }
      case 'p':
      case 'P':
        return this.property(c === 'P', inClass);
      case 'Q': {
        const end = p.indexOf('\\E', this.i);
        const text = end < 0 ? p.slice(this.i) : p.slice(this.i, end);
        this.i = end < 0 ? p.length : end + 2;
        return [...text].map((ch) => literal(ch, inClass)).join('');
      }
      case 'E':
        return '';
      case 'k': {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(p.slice(this.i));
        if (!m || inClass) this.fail('"\\k" must name a group: \\k<name>');
        this.i += m[0].length;
        return `\\k<${m[1]}>`;
      }
      case 'G':
        this.fail('"\\G" (end of the previous match) has no JavaScript equivalent');
        break;
      case 'X':
        this.fail('"\\X" (extended grapheme cluster) has no JavaScript equivalent');
        break;
      case 'N':
        this.fail('"\\N{name}" character names are not supported');
        break;
      default:
        if (/[1-9]/.test(c)) {
          if (inClass) this.fail('a back reference cannot appear inside a character class');
          let digits = c;
          while (/[0-9]/.test(p[this.i] ?? '')) digits += p[this.i++];
          return `\\${digits}`;
        }
        if (/[a-zA-Z]/.test(c)) this.fail(`"\\${c}" is not a Java escape (Java: "Illegal/unsupported escape sequence")`);
        return literal(c, inClass);
    }
    return '';
  }

  private property(negated: boolean, inClass: boolean): string {
    const p = this.pattern;
    let name: string;
    if (p[this.i] === '{') {
      const end = p.indexOf('}', this.i);
      if (end < 0) this.fail('"\\p{" is not closed');
      name = p.slice(this.i + 1, end);
      this.i = end + 1;
    } else {
      name = p[this.i] ?? '';
      this.i++;
    }
    const content = propertyContent(name);
    if (content === undefined) this.fail(`the character property "\\p{${name}}" is not supported (JavaScript has no Unicode blocks)`);
    if (content.startsWith('\\p{')) {
      const single = content.indexOf('\\p{', 1) < 0;
      if (single) return negated ? content.replace('\\p{', '\\P{') : content;
      if (negated) this.fail(`"\\P{${name}}" is not supported`);
      return inClass ? content : `[${content}]`;
    }
    if (negated) {
      if (inClass) this.fail(`"\\P{${name}}" inside a character class is not supported`);
      return `[^${content}]`;
    }
    return inClass ? content : `[${content}]`;
  }

  private characterClass(): string {
    const p = this.pattern;
    this.i++;
    let negated = false;
    if (p[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let content = '';
    let first = true;
    while (this.i < p.length && (p[this.i] !== ']' || first)) {
      const c = p[this.i]!;
      if (this.flags.x && /\s/.test(c)) {
        this.i++;
        continue;
      }
      if (c === '[') this.fail('nested character classes (class union "[a[b]]") are not supported');
      if (c === '&' && p[this.i + 1] === '&') this.fail('character class intersection "&&" is not supported');
      let atom: string;
      if (c === '\\') atom = this.escape(true);
      else {
        atom = literal(c, true);
        this.i++;
      }
      if (p[this.i] === '-' && p[this.i + 1] !== ']' && p[this.i + 1] !== undefined) {
        this.i++;
        let end: string;
        if (p[this.i] === '\\') end = this.escape(true);
        else {
          end = literal(p[this.i]!, true);
          this.i++;
        }
        content += `${atom}-${end}`;
      } else content += atom;
      first = false;
    }
    if (p[this.i] !== ']') this.fail('a character class is not closed (Java: "Unclosed character class")');
    this.i++;
    if (content === '') this.fail('an empty character class');
    return `[${negated ? '^' : ''}${content}]`;
  }
}

function propertyContent(name: string): string | undefined {
  const bare = name.replace(/^Is/, '');
  if (POSIX[name]) return POSIX[name];
  if (JAVA_CHARACTER[name]) return JAVA_CHARACTER[name];
  if (/^In/.test(name) || /^(blk|block)=/i.test(name)) return undefined;
  const script = /^(?:sc|script)=(.+)$/i.exec(name);
  if (script) return `\\p{Script=${script[1]}}`;
  const category = /^(?:gc|general_category)=(.+)$/i.exec(name);
  if (category) return `\\p{${category[1]}}`;
  if (/^(L|Lu|Ll|Lt|Lm|Lo|M|Mn|Mc|Me|N|Nd|Nl|No|P|Pc|Pd|Ps|Pe|Pi|Pf|Po|S|Sm|Sc|Sk|So|Z|Zs|Zl|Zp|C|Cc|Cf|Cs|Co|Cn|LC)$/.test(bare)) return `\\p{${bare}}`;
  const binary: Record<string, string> = {
    Alphabetic: 'Alphabetic',
    Ideographic: 'Ideographic',
    Letter: 'L',
    Lowercase: 'Lowercase',
    Uppercase: 'Uppercase',
    Titlecase: 'Lt',
    Punctuation: 'P',
    Control: 'Cc',
    White_Space: 'White_Space',
    WhiteSpace: 'White_Space',
    Digit: 'Nd',
    Hex_Digit: 'Hex_Digit',
    HexDigit: 'Hex_Digit',
    Join_Control: 'Join_Control',
    JoinControl: 'Join_Control',
    Noncharacter_Code_Point: 'Noncharacter_Code_Point',
    Assigned: 'Assigned',
    Emoji: 'Emoji',
  };
  if (binary[bare]) return `\\p{${binary[bare]}}`;
  // `\p{IsLatin}`, `\p{IsGreek}`: scripts.
  if (name.startsWith('Is') && /^[A-Z][A-Za-z_]+$/.test(bare)) return `\\p{Script=${bare}}`;
  return undefined;
}

function codePoint(n: number): string {
  return `\\u{${n.toString(16)}}`;
}

function literal(c: string, inClass: boolean): string {
  if (inClass ? CLASS_SPECIAL.has(c) : SYNTAX_CHARS.has(c)) return `\\${c}`;
  return c;
}
