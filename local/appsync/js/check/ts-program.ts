// A TypeScript program over one deployed code.js, for the plugin's type-aware ("recommended")
// rules and for syntax errors TypeScript reports in JavaScript files. AppSync itself type-checks
// code against its bundled copy of @aws-appsync/utils (docs/reference/appsync-js-runtime.md §2.3); here the installed
// package's declarations play that part. The library files are parsed once per process.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type ts from 'typescript';
import { typescript } from './checker-packages.ts';

const require = createRequire(import.meta.url);
const UTILS_DIR = dirname(require.resolve('@aws-appsync/utils/package.json'));
const LIB_DIR = dirname(require.resolve('typescript/lib/lib.d.ts'));

/** Where the deployed code lives in the virtual program; ESLint is given the same path. */
export const CODE_FILE = '/appsync/code.js';
const GLOBALS_FILE = '/appsync/appsync-globals.d.ts';
/** D-FEAT documents console.log and console.error only. */
const GLOBALS = 'declare var console: { log(...data: any[]): void; error(...data: any[]): void };\n';

const MODULE_FILES: Record<string, string> = {
  '@aws-appsync/utils': join(UTILS_DIR, 'lib/index.d.ts'),
  '@aws-appsync/utils/dynamodb': join(UTILS_DIR, 'lib/dynamodb-helpers.d.ts'),
  '@aws-appsync/utils/rds': join(UTILS_DIR, 'lib/rds-helpers.d.ts'),
  '@aws-appsync/utils/ai': join(UTILS_DIR, 'lib/bedrock-helpers.d.ts'),
};

const compilerOptions = (typescript: typeof ts): ts.CompilerOptions => ({
  allowJs: true,
  checkJs: false,
  noEmit: true,
  target: typescript.ScriptTarget.ES2022,
  module: typescript.ModuleKind.ESNext,
  moduleResolution: typescript.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts'],
  types: [],
  skipLibCheck: true,
  strict: true,
});

const libraryFiles = new Map<string, ts.SourceFile | undefined>();

export function createCodeProgram(code: string): { program: ts.Program; sourceFile: ts.SourceFile } {
  const ts = typescript();
  const options = compilerOptions(ts);
  const host = ts.createCompilerHost(options, true);
  const readLibrary = host.getSourceFile.bind(host);
  const sourceFile = ts.createSourceFile(CODE_FILE, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  host.getSourceFile = (fileName, languageVersion, onError) => {
    if (fileName === CODE_FILE) return sourceFile;
    if (fileName === GLOBALS_FILE) return ts.createSourceFile(GLOBALS_FILE, GLOBALS, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
    if (!libraryFiles.has(fileName)) libraryFiles.set(fileName, readLibrary(fileName, languageVersion, onError));
    return libraryFiles.get(fileName);
  };
  host.fileExists = (fileName) => fileName === CODE_FILE || fileName === GLOBALS_FILE || ts.sys.fileExists(fileName);
  host.readFile = (fileName) => (fileName === CODE_FILE ? code : fileName === GLOBALS_FILE ? GLOBALS : ts.sys.readFile(fileName));
  host.getDefaultLibLocation = () => LIB_DIR;
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => {
      const resolvedFileName = MODULE_FILES[literal.text];
      if (resolvedFileName) return { resolvedModule: { resolvedFileName, extension: ts.Extension.Dts, isExternalLibraryImport: true } };
      // The package's own relative imports between its declaration files.
      if (literal.text.startsWith('.') && containingFile.startsWith(UTILS_DIR)) {
        const base = join(dirname(containingFile), literal.text);
        const candidate = [`${base}.d.ts`, join(base, 'index.d.ts')].find((f) => ts.sys.fileExists(f));
        if (candidate) return { resolvedModule: { resolvedFileName: candidate, extension: ts.Extension.Dts, isExternalLibraryImport: true } };
      }
      return { resolvedModule: undefined };
    });
  const program = ts.createProgram({ rootNames: [CODE_FILE, GLOBALS_FILE, MODULE_FILES['@aws-appsync/utils']!], options, host });
  return { program, sourceFile };
}

/** Syntax errors, including TypeScript-only syntax (type annotations …) in the JavaScript file. */
export function syntaxDiagnostics(program: ts.Program, sourceFile: ts.SourceFile): { message: string; line: number; column: number; span: number }[] {
  const ts = typescript();
  return program.getSyntacticDiagnostics(sourceFile).map((d) => {
    const start = d.start ?? 0;
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(start);
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n').replace(/\.$/, '');
    return { message, line: line + 1, column: character + 1, span: d.length ?? -1 };
  });
}
