import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json(?:;charset=[^;,]+)?;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * Maps a position in deployed (bundled) handler code back to the source file it came from,
 * through the inline source map AWS's bundling recipe leaves in the code.
 * Returns undefined when the code carries no map or the position has no mapping.
 */
export function originalPosition(code: string, line: number, column: number): { source: string; line: number; column: number } | undefined {
  const match = INLINE_MAP.exec(code);
  if (!match) return undefined;
  try {
    const map = JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) as RawSourceMap;
    const consumer = new SourceMapConsumer(map);
    // source-map columns are 0-based; ours are 1-based like ESLint's.
    const found = consumer.originalPositionFor({ line, column: Math.max(0, column - 1) });
    if (!found.source || found.line === null) return undefined;
    return { source: found.source.replace(/^(\.\.\/)+/, ''), line: found.line, column: (found.column ?? 0) + 1 };
  } catch {
    return undefined;
  }
}
