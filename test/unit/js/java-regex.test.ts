// util.matches and the string pattern of replace/replaceAll/split read as java.util.regex.
import { describe, expect, it } from 'vitest';
import { javaMatches, javaReplace, javaSplit, translateJavaRegex, UnsupportedJavaRegexError } from '../../../local/appsync/js/util/java-regex.ts';
import { run, value } from './helpers.ts';

describe('Java regular expressions', () => {
  it('util.matches is a whole-string match (Pattern.matches)', () => {
    expect(value('util.matches("a*b", "aaaaab")')).toBe(true);
    expect(value('util.matches("a*b", "aaaaabc")')).toBe(false);
    expect(value('util.matches("b", "abc")')).toBe(false);
    expect(value('util.matches("[a-z]+@[a-z]+\\\\.com", "me@example.com")')).toBe(true);
  });

  it('translates what the dialects write differently', () => {
    // \s is ASCII whitespace only in Java.
    expect(javaMatches('\\s', '\u00a0')).toBe(false);
    expect(javaMatches('\\s', '\t')).toBe(true);
    // \h, \v, \R
    expect(javaMatches('a\\hb', 'a\u3000b')).toBe(true);
    expect(javaMatches('a\\Rb', 'a\r\nb')).toBe(true);
    // \A \z and Java's `$` before a final line terminator
    expect(javaReplace('ab\n', 'b$', 'X', false)).toBe('aX\n');
    expect(javaReplace('ab', '\\Aa', 'X', false)).toBe('Xb');
    // . excludes \u0085 in Java
    expect(javaMatches('.', '\u0085')).toBe(false);
    expect(javaMatches('(?s).', '\u0085')).toBe(true);
    // \Q…\E quoting and octal / \x{} escapes
    expect(javaMatches('\\Q1+1=2\\E', '1+1=2')).toBe(true);
    expect(javaMatches('\\0101\\x{42}', 'AB')).toBe(true);
    // POSIX and java.lang.Character classes
    expect(javaMatches('\\p{Upper}\\p{Lower}+\\p{Punct}', 'Abc!')).toBe(true);
    expect(javaMatches('\\p{javaUpperCase}', 'É')).toBe(true);
    expect(javaMatches('\\p{IsLatin}+', 'abc')).toBe(true);
    // a leading ] in a class is literal
    expect(javaMatches('[]a]+', ']a]')).toBe(true);
    // inline flags at the start and in the middle, across alternatives
    expect(javaMatches('(?i)abc', 'ABC')).toBe(true);
    expect(javaMatches('a(?i)b|c', 'C')).toBe(true);
    expect(javaMatches('a(?i)b|c', 'aB')).toBe(true);
    expect(javaMatches('(?x) a b # comment', 'ab')).toBe(true);
    expect(translateJavaRegex('(?i)x').flags).toBe('iu');
  });

  it('refuses what it cannot express, naming the construct', () => {
    expect(() => translateJavaRegex('a++')).toThrow(/possessive quantifier "\+\+"/);
    expect(() => translateJavaRegex('(?>a)')).toThrow(/atomic groups/);
    expect(() => translateJavaRegex('[a-z&&[^b]]')).toThrow(/nested character classes|intersection/);
    expect(() => translateJavaRegex('\\G')).toThrow(UnsupportedJavaRegexError);
    expect(() => translateJavaRegex('\\p{InGreek}')).toThrow(/Unicode blocks/);
    expect(() => translateJavaRegex('a{')).toThrow(/Illegal repetition/);
    expect(() => translateJavaRegex('\\y')).toThrow(/not a Java escape/);
  });

  // UNVERIFIED (docs/reference/appsync-js-runtime.md §2.2): whether replace is replaceFirst and how `$1` is read.
  it('String.replace/replaceAll take the string pattern as a Java regex and a Java replacement', () => {
    expect(value('"x.y.z".replace(".", "-")')).toBe('-.y.z');
    expect(value('"x.y.z".replaceAll("\\\\.", "-")')).toBe('x-y-z');
    expect(value('"2024-01-31".replace("(\\\\d+)-(\\\\d+)-(\\\\d+)", "$3/$2/$1")')).toBe('31/01/2024');
    expect(value('"ab".replace("(?<first>a)", "[${first}]")')).toBe('[a]b');
    expect(value('"price".replace("p", "\\\\$")')).toBe('$rice');
    expect(run('"price".replace("p", "$")').error?.message).toMatch(/TypeError|Error: String\.replace: a "\$" in the replacement must start a group reference/);
    expect(run('"a".replace("a++", "b")').error?.message).toMatch(/UnsupportedJavaRegexError: the Java regular expression "a\+\+" cannot be run by the local runtime: the possessive quantifier/);
  });

  // UNVERIFIED: which array rules (Java's or JavaScript's) AppSync keeps.
  it('String.split with a string separator splits on a Java regex and keeps JavaScript array rules', () => {
    expect(value('"a1b22c".split("\\\\d+")')).toEqual(['a', 'b', 'c']);
    expect(value('"a,b,,".split(",")')).toEqual(['a', 'b', '', '']);
    expect(value('"a.b".split(".")')).toEqual(['', '', '', '']);
    expect(value('"abc".split("")')).toEqual(['a', 'b', 'c']);
    expect(value('"a-b-c".split("-", 2)')).toEqual(['a', 'b']);
    expect(javaSplit('', ',')).toEqual(['']);
    expect(javaSplit('a(b)c', '\\((b)\\)')).toEqual(['a', 'c']);
  });
});
