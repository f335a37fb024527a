// The save-time checks: every rule of @aws-appsync/eslint-plugin@2.0.2 and every rule the
// runtime adds (docs/reference/appsync-js-runtime.md §2.3–2.5), each with code it refuses — rule, line and column asserted —
// and code it accepts. `@@` in a snippet marks where the problem is expected; it is removed
// before the code is checked.
import { describe, expect, it } from 'vitest';
import { checkHandlerCode, CodeRejectedError, compileHandlerCode, MAX_CODE_LENGTH } from '../../../local/appsync/js/index.ts';

const PRELUDE = "import { util } from '@aws-appsync/utils';\n";
const RESPONSE = '\nexport function response(ctx) { return ctx.result; }\n';

/** Problems of a module made of the prelude, `snippet` and a response handler. */
function check(snippet: string) {
  const code = PRELUDE + snippet.replaceAll('@@', '') + RESPONSE;
  return checkHandlerCode(code).problems.map((p) => ({ rule: p.rule, line: p.line, column: p.column, message: p.message, errorType: p.errorType }));
}

/** Line and column (1-based) of every `@@` in the snippet as it sits in the module. */
function markers(snippet: string): { line: number; column: number }[] {
  const text = PRELUDE + snippet;
  const out: { line: number; column: number }[] = [];
  let removed = 0;
  for (let i = text.indexOf('@@'); i >= 0; i = text.indexOf('@@', i + 2)) {
    const before = text.slice(0, i).replaceAll('@@', '');
    const lines = before.split('\n');
    out.push({ line: lines.length, column: lines[lines.length - 1]!.length + 1 });
    removed++;
  }
  expect(removed).toBeGreaterThan(0);
  return out;
}

function expectRefused(rule: string, snippet: string, message?: RegExp) {
  const problems = check(snippet).filter((p) => p.rule === rule);
  expect(problems.map(({ line, column }) => ({ line, column }))).toEqual(markers(snippet));
  if (message) for (const p of problems) expect(p.message).toMatch(message);
  for (const p of problems) expect(p.errorType).toBe('LINT_ERROR');
}

function expectAccepted(snippet: string) {
  expect(check(snippet)).toEqual([]);
}

const plugin = (rule: string) => `@aws-appsync/${rule}`;
const own = (rule: string) => `appsync-js/${rule}`;

describe('the rules of @aws-appsync/eslint-plugin@2.0.2, run by ESLint with a TypeScript program', () => {
  it('no-async', () => {
    expectRefused(plugin('no-async'), 'export @@async function request(ctx) { return {}; }', /^Async functions are not supported\.$/);
    expectAccepted('export function request(ctx) { return {}; }');
  });

  it('no-await', () => {
    expectRefused(plugin('no-await'), 'export function request(ctx) { return x(); }\nasync function x() { return @@await 1; }', /^The `await` keyword is not supported$/);
    expectAccepted('export function request(ctx) { const awaited = 1; return { awaited }; }');
  });

  it('no-classes (class declarations)', () => {
    expectRefused(plugin('no-classes'), '@@class A {}\nexport function request(ctx) { return {}; }', /^Class declarations are not supported\.$/);
    expectAccepted('function make(name) { return { name, kind: "A" }; }\nexport function request(ctx) { return make("x"); }');
  });

  it('no-for, while C-style for; for-of and for-in are accepted', () => {
    expectRefused(plugin('no-for'), 'export function request(ctx) { let n = 0; @@for (let i = 0; i < 3; i += 1) { n += i; } return n; }', /^For statements are not supported\.$/);
    expectAccepted('export function request(ctx) { let n = 0; for (const v of [1, 2]) { n += v; } for (const k in ctx.args) { n += 1; } return n; }');
  });

  it('no-continue', () => {
    expectRefused(plugin('no-continue'), 'export function request(ctx) { for (const v of [1]) { @@continue; } return {}; }', /^Continue statements are not supported$/);
    expectAccepted('export function request(ctx) { const out = []; for (const v of [1, 2]) { if (v > 1) { break; } out.push(v); } return out; }');
  });

  it('no-generators (declarations) and no-yield', () => {
    expectRefused(plugin('no-generators'), '@@function* g() { yield 1; }\nexport function request(ctx) { return {}; }', /^Generator functions are not supported\.$/);
    expectRefused(plugin('no-yield'), 'function* g() { @@yield 1; }\nexport function request(ctx) { return {}; }', /^Yield statements are not supported$/);
  });

  it('no-labels', () => {
    expectRefused(plugin('no-labels'), 'export function request(ctx) { @@outer: for (const v of [1]) { break outer; } return {}; }', /^Labeled statements are not supported\.$/);
    expectAccepted('export function request(ctx) { const outer = { label: 1 }; return outer.label; }');
  });

  it('no-regex', () => {
    expectRefused(plugin('no-regex'), 'export function request(ctx) { return @@/a+/.source; }', /^Regex literals are not supported\.$/);
    expectAccepted('export function request(ctx) { return util.matches("a+", ctx.args.s) && "a+b".replace("\\\\+", "-"); }');
  });

  it('no-this', () => {
    expectRefused(plugin('no-this'), 'export function request(ctx) { return @@this; }', /^This expressions are not supported\.$/);
    expectAccepted('export function request(ctx) { const self = ctx; return self.args; }');
  });

  it('no-try', () => {
    expect(check('export function request(ctx) { try { return 1; } catch (e) { return 2; } }').map((p) => p.rule)).toContain(plugin('no-try'));
    expectRefused(plugin('no-try'), 'export function request(ctx) { @@try { return 1; } finally { } }', /^Try statements are not supported\.$/);
  });

  it('no-while (while and do…while)', () => {
    expectRefused(plugin('no-while'), 'export function request(ctx) { let n = 0; @@while (n < 2) { n += 1; } @@do { n -= 1; } while (n > 0); return n; }', /^(While|do\.\.\.while) statements are not supported\.$/);
    expectAccepted('export function request(ctx) { let n = 0; for (const step of [1, 1]) { n += step; } return n; }');
  });

  it('no-disallowed-unary-operators (++, --, ~)', () => {
    expectRefused(plugin('no-disallowed-unary-operators'), 'export function request(ctx) { let n = 0; @@n++; @@--n; return @@~n; }', /^The operator (\+\+|--|~) is not supported$/);
    expectAccepted('export function request(ctx) { let n = 0; n += 1; return -n + +n + !n; }');
  });

  it('no-disallowed-binary-operators (instanceof) and no-in-operator', () => {
    expectRefused(plugin('no-disallowed-binary-operators'), 'export function request(ctx) { return @@ctx instanceof Object; }', /^The operator instanceof is not supported$/);
    expectRefused(plugin('no-in-operator'), 'export function request(ctx) { return @@"a" in ctx.args; }', /^in operator is not supported\. Use Object\.hasOwn\(\)\.$/);
    expectAccepted('export function request(ctx) { return Object.hasOwn(ctx.args, "a"); }');
  });

  it('no-promise', () => {
    expectRefused(plugin('no-promise'), 'export function request(ctx) { return @@new Promise(ctx.args.f); }', /^Promise is not supported$/);
    expectAccepted('export function request(ctx) { return { promise: "kept" }; }');
  });

  it('no-disallowed-re-assignment: ctx itself and its first-level members in request/response declarations', () => {
    expectRefused(plugin('no-disallowed-re-assignment'), 'export function request(ctx) { @@ctx = {}; @@ctx.stash = {}; delete @@ctx.args; return {}; }');
    expectAccepted('export function request(ctx) { ctx.args.x = 1; ctx.stash.k = "v"; delete ctx.stash.k; return {}; }');
  });

  it('no-recursion (type-aware): a cycle through the call graph', () => {
    expectRefused(plugin('no-recursion'), 'function a(n) { return @@b(n); }\nfunction b(n) { return @@a(n); }\nexport function request(ctx) { return @@a(1); }', /^Recursive function calls not supported\. Detected cycle in /);
    expectAccepted('function a(n) { return n + 1; }\nfunction b(n) { return a(n); }\nexport function request(ctx) { return b(1); }');
  });

  it('no-disallowed-methods (type-aware): the deny-list, e.g. String.padStart', () => {
    expectRefused(plugin('no-disallowed-methods'), 'export function request(ctx) { return @@"7".padStart(3); }', /^Method String\.padStart is not implemented$/);
    expectAccepted('export function request(ctx) { return "a,b".split(",").join("-").toUpperCase().trim(); }');
  });

  it('no-function-passing (type-aware): functions only go to the allowed array methods', () => {
    expectRefused(plugin('no-function-passing'), 'function apply(f) { return f(1); }\nexport function request(ctx) { return @@apply((x) => x); }', /^Functions can not be passed as an argument$/);
    expectAccepted('export function request(ctx) { return [3, 1].map((x) => x * 2).filter((x) => x > 2).reduce((a, b) => a + b, 0); }');
  });

  it('no-function-reassign and no-function-return (type-aware)', () => {
    expectRefused(plugin('no-function-reassign'), 'function f() { return 1; }\nconst @@g = f;\nexport function request(ctx) { return g(); }', /^re-assigning function is not allowed$/);
    expectRefused(plugin('no-function-return'), 'function f() { return 1; }\nfunction make() { @@return f; }\nexport function request(ctx) { return make(); }', /^returning a function is not allowed$/);
    expectAccepted('function f() { return 1; }\nfunction make() { return f(); }\nexport function request(ctx) { const value = make(); return value; }');
  });
});

describe("the runtime's own rules (what AppSync rejects and the plugin misses)", () => {
  it('no-throw', () => {
    expectRefused(own('no-throw'), 'export function request(ctx) { @@throw ctx.args; }', /^Throw statements are not supported\. Use util\.error\(\) to raise an error\.$/);
    expectAccepted('export function request(ctx) { util.error("bad", "BadRequest"); }');
  });

  it('no-catch-finally: catch and finally, next to no-try', () => {
    expectRefused(own('no-catch-finally'), 'export function request(ctx) { try { return 1; } @@catch (e) { return 2; } finally @@{ } }', /^(Catch clauses|Finally blocks) are not supported\.$/);
    expectAccepted('export function request(ctx) { if (ctx.error) { util.error(ctx.error.message); } return ctx.result; }');
  });

  it('no-class-expressions and no-generator-expressions (the plugin sees declarations only)', () => {
    expectRefused(own('no-class-expressions'), 'const A = @@class {};\nexport function request(ctx) { return {}; }', /^Class expressions are not supported\.$/);
    expectRefused(own('no-generator-expressions'), 'const g = @@function* () {};\nexport function request(ctx) { return {}; }', /^Generator functions are not supported\.$/);
    expectAccepted('const make = function () { return { a: 1 }; };\nconst arrow = () => ({ b: 2 });\nexport function request(ctx) { return [make(), arrow()]; }');
  });

  // UNVERIFIED (docs/reference/appsync-js-runtime.md §2.2): Date and the other undocumented constructors are treated as unsupported.
  it('no-new: no constructors, Date included; Promise is left to no-promise', () => {
    expectRefused(own('no-new'), 'export function request(ctx) { return [@@new Date(), @@new Array(3)]; }', /^The new operator is not supported \('new (Date|Array)'\)/);
    expect(check('export function request(ctx) { return new Promise(ctx.f); }').filter((p) => p.rule === own('no-new'))).toEqual([]);
    expectAccepted('export function request(ctx) { return [[], {}, util.time.nowISO8601()]; }');
  });

  it('no-arguments', () => {
    expectRefused(own('no-arguments'), 'function f() { return @@arguments.length; }\nexport function request(ctx) { return f(); }', /^The arguments object is not supported/);
    expectAccepted('function f(...args) { return args.length; }\nexport function request(ctx) { return f(1, 2); }');
  });

  it('no-accessors (UNVERIFIED: not in the documented function syntax)', () => {
    expectRefused(own('no-accessors'), 'export function request(ctx) { return { @@get total() { return 1; } }; }', /^Getters and setters are not supported\.$/);
    expectAccepted('export function request(ctx) { return { get: 1, set: 2, total() { return 3; } }.total(); }');
  });

  // UNVERIFIED (docs/reference/appsync-js-runtime.md §2.2, §13): undocumented globals such as Date and parseInt are refused.
  it('supported-globals: only the documented globals; undeclared names are refused too', () => {
    expectRefused(own('supported-globals'), 'export function request(ctx) { return [@@parseInt("1"), @@Date, @@globalThis, @@Map, @@missingName]; }', /^'(parseInt|Date|globalThis|Map|missingName)' is not available in APPSYNC_JS\./);
    expectAccepted('export function request(ctx) { return [Object.keys({}), Number.isFinite(1), Math.max(1, 2), Array.isArray([]), JSON.stringify({}), NaN, Infinity, undefined, String.raw]; }');
  });

  it('no-conversion-calls: Number() and String() as functions are undocumented', () => {
    expectRefused(own('no-conversion-calls'), 'export function request(ctx) { return [@@Number("1"), @@String(2)]; }', /^Calling (Number|String)\(\) as a function is not documented/);
    expectAccepted('export function request(ctx) { return [+"1", `${2}`]; }');
  });

  it('allowed-imports: the four @aws-appsync/utils paths, their exports, no dynamic import', () => {
    const snippet = "import @@lodash from 'lodash';\nimport { @@bogus } from '@aws-appsync/utils/dynamodb';\nimport @@utils from '@aws-appsync/utils';\nexport function request(ctx) { return @@import('x'); }";
    const problems = check(snippet).filter((p) => p.rule === own('allowed-imports'));
    // The module path of `lodash` is reported at its source string.
    expect(problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^Cannot import 'lodash': APPSYNC_JS provides only @aws-appsync\/utils, @aws-appsync\/utils\/dynamodb, @aws-appsync\/utils\/rds, @aws-appsync\/utils\/ai\./),
      "Module '@aws-appsync/utils/dynamodb' has no exported member 'bogus'.",
      "Module '@aws-appsync/utils' has no default export.",
      'Dynamic import() is not supported: APPSYNC_JS has no module loader.',
    ]);
    expect(problems.map((p) => p.line)).toEqual([2, 3, 4, 5]);
    expectAccepted("import { util as u, runtime, extensions, Context } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\nimport { select } from '@aws-appsync/utils/rds';\nimport { converse } from '@aws-appsync/utils/ai';\nexport function request(ctx) { return [u, runtime, extensions, ddb, select, converse].length; }");
  });

  it('known-members: members of util, extensions, runtime and the modules must exist (docs/reference/appsync-js-runtime.md §2.3)', () => {
    expectRefused(
      own('known-members'),
      "import * as ddb from '@aws-appsync/utils/dynamodb';\nimport { util as u } from '@aws-appsync/utils';\nexport function request(ctx) { u.time.@@nowIso(); util.@@toJson(1); extensions.@@setFilter({}); runtime.@@stop(); const { dynamodb: { @@toJSON } } = util; return ddb.@@getItem({}); }",
      /^Property '(nowIso|toJson|setFilter|stop|toJSON|getItem)' does not exist on '(util\.time|util|extensions|runtime|util\.dynamodb|ddb)'\.$/,
    );
    expectAccepted("import * as ddb from '@aws-appsync/utils/dynamodb';\nexport function request(ctx) { const { time } = util; return [time.nowISO8601(), util.transform.toSubscriptionFilter({}), ddb.operations.add(1), util.dynamodb.toMapValues({})]; }");
  });

  it('no-function-passing (syntactic): catches untyped receivers the type-aware rule cannot see', () => {
    expectRefused(own('no-function-passing'), 'export function request(ctx) { return @@ctx.args.list.sort((a, b) => a - b); }', /^Functions can not be passed as an argument$/);
    // Where the type-aware rule reports, the approximation stays silent.
    const both = check('function apply(f) { return f(1); }\nexport function request(ctx) { return apply((x) => x); }');
    expect(both.filter((p) => p.rule.endsWith('no-function-passing')).map((p) => p.rule)).toEqual([plugin('no-function-passing')]);
    expectAccepted('export function request(ctx) { return ctx.args.list.map((x) => x).find((x) => x).length; }');
  });

  it('handler-exports: both request and response must be exported', () => {
    const problems = checkHandlerCode('export function request(ctx) { return {}; }\n').problems;
    expect(problems).toEqual([expect.objectContaining({ rule: own('handler-exports'), line: 0, column: 0, message: expect.stringMatching(/must export a function named response/) })]);
  });

  it('code-size: 1 to 32768 characters', () => {
    const long = `export function request(ctx) { return "${'x'.repeat(MAX_CODE_LENGTH)}"; }\nexport function response(ctx) {}`;
    expect(checkHandlerCode(long).problems).toEqual([expect.objectContaining({ rule: own('code-size'), line: 0, message: `The code is ${long.length} characters long; AppSync accepts 1 to 32768.` })]);
    expect(checkHandlerCode('').problems.map((p) => p.rule)).toContain(own('code-size'));
  });

  it('ignores eslint-disable comments: AppSync does not honour them', () => {
    expectRefused(plugin('no-for'), '/* eslint-disable */\nexport function request(ctx) { @@for (;;) { break; } return {}; }');
    expectAccepted('/* eslint-disable */\nexport function request(ctx) { return {}; }');
  });
});

describe('parser errors and reporting', () => {
  it('reports every syntax error as PARSER_ERROR with "Parsing error:" and its position', () => {
    expect(check('export function request(ctx) { return "abc; }')).toEqual([
      { rule: 'parser', errorType: 'PARSER_ERROR', message: 'Parsing error: Unterminated string literal', line: 2, column: 46 },
      { rule: 'parser', errorType: 'PARSER_ERROR', message: "Parsing error: '}' expected", line: 4, column: 1 },
    ]);
  });

  it('reports TypeScript syntax in the deployed JavaScript as a parser error', () => {
    const problems = check('export function request(ctx: @@any) { return {}; }');
    expect(problems[0]).toMatchObject({ errorType: 'PARSER_ERROR', message: 'Parsing error: Type annotations can only be used in TypeScript files', ...markers('export function request(ctx: @@any) { return {}; }')[0] });
  });

  it('reports every problem at once, in position order, and compileHandlerCode throws them all', () => {
    const code = `${PRELUDE}export function request(ctx) {\n  let n = 0;\n  n++;\n  throw n;\n}\n`;
    let error: unknown;
    try {
      compileHandlerCode(code, 'resolvers/Query.market.js');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodeRejectedError);
    const rejected = error as CodeRejectedError;
    expect(rejected.origin).toBe('resolvers/Query.market.js');
    expect(rejected.problems.map((p) => `${p.line}:${p.column} ${p.rule}`)).toEqual(['0:0 appsync-js/handler-exports', '4:3 @aws-appsync/no-disallowed-unary-operators', '5:3 appsync-js/no-throw']);
    expect(rejected.message).toBe(
      'resolvers/Query.market.js: AppSync would refuse this code (3 problems):\n' +
        '  code.js:0:0 appsync-js/handler-exports: The code must export a function named response (export function response(ctx) { … }).\n' +
        '  code.js:4:3 @aws-appsync/no-disallowed-unary-operators: The operator ++ is not supported\n' +
        '  code.js:5:3 appsync-js/no-throw: Throw statements are not supported. Use util.error() to raise an error.',
    );
  });
});
