import { existsSync, readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';

type CompilableModule = { _compile(source: string, filename: string, format: string | undefined): void };
type JsLoader = (this: unknown, module: CompilableModule, filename: string) => void;

/**
 * On Lambda the code folder is /var/task with nothing above it, so a `.js` file without a
 * package.json of its own is CommonJS (or ESM when its syntax says so: Node's detection).
 * Locally the asset folder sits inside a project whose package.json may say `"type": "module"`;
 * this makes `.js` files of the code folder ignore package.json files above it, in this worker.
 */
export function isolatePackageScope(codeDir: string): void {
  const root = codeDir.endsWith(sep) ? codeDir : codeDir + sep;
  const extensions = (Module as unknown as { _extensions: Record<string, JsLoader> })._extensions;
  const original = extensions['.js']!;
  extensions['.js'] = function (module, filename) {
    if (!outsideAnyPackage(filename, root)) return original.call(this, module, filename);
    // No format: Node compiles it as CommonJS unless only ESM syntax parses (module detection).
    module._compile(readFileSync(filename, 'utf8'), filename, undefined);
  };
}

/** A `.js` file of the code folder with no package.json between it and the folder (included). */
export function outsideAnyPackage(file: string, root: string): boolean {
  if (!file.endsWith('.js') || !file.startsWith(root)) return false;
  for (let dir = dirname(file); dir.length >= root.length - 1; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return false;
    if (dir === dirname(dir)) break;
  }
  return true;
}
