// espree ships no type declarations; the check uses only parse.
declare module 'espree' {
  export function parse(code: string, options: { ecmaVersion: 'latest' | number; sourceType: 'module' | 'script'; range?: boolean; loc?: boolean }): unknown;
}
