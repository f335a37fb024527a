// Turns a handler ES module into a script node:vm can run (vm.SourceTextModule needs an
// experimental flag), without moving any code: import declarations are blanked out and become
// bindings on the line before the code, `export` keywords are blanked out, and the exports are
// returned by a factory function around the whole module. Every line keeps its place.
//
// It also puts a call of the deadline guard at the top of every loop body and function body
// (APPSYNC_JS has no while, C-style for or recursion, so a handler can only run away in those),
// which stops a runaway handler at the request's deadline without node:vm's per-call timeout
// watchdog (a thread per call, ~80 µs: bench/resolver-eval.ts). Those insertions move columns
// on their lines; `originalColumn` maps a column of the script back to code.js.
import type * as ESTree from 'estree';

export interface ModuleShape {
  /** Exported name → local binding. */
  exports: Map<string, string>;
  imports: { local: string; path: string; imported: string | '*' }[];
}

export interface TransformedModule extends ModuleShape {
  /** A script whose value is `(modules, guard) => exports`; its first line is the wrapper. */
  script: string;
  /** The code.js column (1-based) of a column of the script on a line of the code. */
  originalColumn(line: number, column: number): number;
}

/** The parameter that carries the imported modules; not a name handler code can see. */
const MODULES_PARAMETER = '$appsync$modules$';
/** The parameter that carries the deadline guard (sandbox-context.ts). */
const GUARD_PARAMETER = '$appsync$guard$';
const GUARD_CALL = `${GUARD_PARAMETER}();`;

type Ranged = ESTree.Node & { range: [number, number] };

function range(node: ESTree.Node): [number, number] {
  return (node as Ranged).range;
}

function blank(text: string): string {
  return text.replace(/[^\n\r\u2028\u2029]/g, ' ');
}

function bindingNames(pattern: ESTree.Pattern, out: string[] = []): string[] {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern.name);
      break;
    case 'ObjectPattern':
      for (const p of pattern.properties) bindingNames(p.type === 'RestElement' ? p.argument : p.value, out);
      break;
    case 'ArrayPattern':
      for (const p of pattern.elements) if (p) bindingNames(p, out);
      break;
    case 'RestElement':
      bindingNames(pattern.argument, out);
      break;
    case 'AssignmentPattern':
      bindingNames(pattern.left, out);
      break;
    default:
      break;
  }
  return out;
}

function exportedName(node: ESTree.Identifier | ESTree.Literal): string {
  return node.type === 'Identifier' ? node.name : String(node.value);
}

export function transformModule(code: string, ast: ESTree.Program): TransformedModule {
  const edits: { start: number; end: number; text: string }[] = [];
  const shape: ModuleShape = { exports: new Map(), imports: [] };
  for (const statement of ast.body) {
    if (statement.type === 'ImportDeclaration') {
      const path = String(statement.source.value);
      for (const s of statement.specifiers) {
        if (s.type === 'ImportNamespaceSpecifier') shape.imports.push({ local: s.local.name, path, imported: '*' });
        else if (s.type === 'ImportSpecifier') shape.imports.push({ local: s.local.name, path, imported: exportedName(s.imported) });
        else shape.imports.push({ local: s.local.name, path, imported: 'default' });
      }
      const [start, end] = range(statement);
      edits.push({ start, end, text: blank(code.slice(start, end)) });
    } else if (statement.type === 'ExportNamedDeclaration') {
      const [start, end] = range(statement);
      if (statement.declaration) {
        const declaration = statement.declaration;
        const names =
          declaration.type === 'VariableDeclaration'
            ? declaration.declarations.flatMap((d) => bindingNames(d.id))
            : declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration'
              ? [declaration.id.name]
              : [];
        for (const name of names) shape.exports.set(name, name);
        const declarationStart = range(declaration)[0];
        edits.push({ start, end: declarationStart, text: blank(code.slice(start, declarationStart)) });
      } else {
        for (const s of statement.specifiers) shape.exports.set(exportedName(s.exported), exportedName(s.local));
        edits.push({ start, end, text: blank(code.slice(start, end)) });
      }
    } else if (statement.type === 'ExportDefaultDeclaration') {
      // Not a handler export; kept as an expression so the code still runs.
      const [start] = range(statement);
      const declarationStart = range(statement.declaration as ESTree.Node)[0];
      const keyword = code.slice(start, declarationStart);
      edits.push({ start, end: declarationStart, text: `void${blank(keyword.slice(4))}` });
    } else if (statement.type === 'ExportAllDeclaration') {
      const [start, end] = range(statement);
      edits.push({ start, end, text: blank(code.slice(start, end)) });
    }
  }
  const insertions = guardInsertions(ast);
  let body = '';
  let last = 0;
  for (const edit of [...edits, ...insertions].sort((a, b) => a.start - b.start || a.end - b.end)) {
    body += code.slice(last, edit.start) + edit.text;
    last = edit.end;
  }
  body += code.slice(last);
  const bindings = shape.imports
    .map(({ local, path, imported }) => {
      const module = `${MODULES_PARAMETER}[${JSON.stringify(path)}]`;
      return `const ${local} = ${imported === '*' ? module : `${module}[${JSON.stringify(imported)}]`};`;
    })
    .join(' ');
  const exported = [...shape.exports].map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  // Line 1 is the wrapper; the code starts on line 2 and is run with lineOffset -1.
  const script = `(function (${MODULES_PARAMETER}, ${GUARD_PARAMETER}) { "use strict"; ${bindings}\n${body}\n;return { ${exported} }; })`;
  return { ...shape, script, originalColumn: columnMapper(code, insertions) };
}

interface Insertion { start: number; end: number; text: string }

/** Where the guard goes: the top of every loop body and function body. */
function guardInsertions(ast: ESTree.Program): Insertion[] {
  const out: Insertion[] = [];
  const atTopOf = (body: ESTree.Node) => {
    const [start, end] = range(body);
    if (body.type === 'BlockStatement') out.push({ start: start + 1, end: start + 1, text: GUARD_CALL });
    else if (body.type.endsWith('Statement') || body.type.endsWith('Declaration')) {
      out.push({ start, end: start, text: `{${GUARD_CALL}` }, { start: end, end, text: '}' });
    } else {
      // An arrow function's expression body.
      out.push({ start, end: start, text: `(${GUARD_PARAMETER}(),` }, { start: end, end, text: ')' });
    }
  };
  walk(ast, (node) => {
    switch (node.type) {
      case 'ForOfStatement':
      case 'ForInStatement':
      case 'ForStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        atTopOf(node.body);
        break;
      default:
        break;
    }
  });
  return out;
}

function walk(node: ESTree.Node, visit: (node: ESTree.Node) => void): void {
  visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'range' || key === 'loc' || key === 'parent') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item === 'object' && typeof (item as ESTree.Node).type === 'string') walk(item as ESTree.Node, visit);
    } else if (value && typeof value === 'object' && typeof (value as ESTree.Node).type === 'string') walk(value as ESTree.Node, visit);
  }
}

/** Maps script columns back to code.js columns, undoing the insertions on each line. */
function columnMapper(code: string, insertions: Insertion[]): (line: number, column: number) => number {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const byLine = new Map<number, { column: number; length: number }[]>();
  for (const { start, text } of insertions) {
    let line = lineStarts.length - 1;
    while (lineStarts[line]! > start) line--;
    const list = byLine.get(line + 1) ?? [];
    list.push({ column: start - lineStarts[line]!, length: text.length });
    byLine.set(line + 1, list);
  }
  for (const list of byLine.values()) list.sort((a, b) => a.column - b.column);
  return (line, column) => {
    const scriptColumn = column - 1;
    let shift = 0;
    for (const insertion of byLine.get(line) ?? []) {
      const at = insertion.column + shift;
      if (scriptColumn < at) break;
      if (scriptColumn < at + insertion.length) return insertion.column + 1;
      shift += insertion.length;
    }
    return scriptColumn - shift + 1;
  };
}
