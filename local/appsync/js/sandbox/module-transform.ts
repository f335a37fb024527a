// Turns a handler ES module into a script node:vm can run (vm.SourceTextModule needs an
// experimental flag), without moving any code: import declarations are blanked out and become
// bindings on the line before the code, `export` keywords are blanked out, and the exports are
// returned by a factory function around the whole module. Every line and column of the code
// keeps its place, so positions in errors are positions in the deployed code.js.
import type * as ESTree from 'estree';

export interface ModuleShape {
  /** Exported name → local binding. */
  exports: Map<string, string>;
  imports: { local: string; path: string; imported: string | '*' }[];
}

export interface TransformedModule extends ModuleShape {
  /** A script whose value is `(modules) => exports`; its first line is the wrapper. */
  script: string;
}

/** The parameter that carries the imported modules; not a name handler code can see. */
const MODULES_PARAMETER = '$appsync$modules$';

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
  let body = '';
  let last = 0;
  for (const edit of edits.sort((a, b) => a.start - b.start)) {
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
  const script = `(function (${MODULES_PARAMETER}) { "use strict"; ${bindings}\n${body}\n;return { ${exported} }; })`;
  return { ...shape, script };
}
