import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json(?:;charset=[^;,]+)?;base64,([A-Za-z0-9+/=]+)\s*$/;

export interface OriginalPosition {
  source: string;
  line: number;
  /** 1-based, like ESLint's. */
  column: number;
}

export type SourceLocator = (line: number, column: number) => OriginalPosition | undefined;

/**
 * Maps positions in deployed (bundled) handler code back to the source file they came from,
 * through the inline source map AWS's bundling recipe leaves in the code (D-BUNDLE). The map is
 * parsed once per locator. Positions without a mapping, and code without a map, give undefined.
 */
export function sourceLocator(code: string): SourceLocator {
  const match = INLINE_MAP.exec(code);
  if (!match) return () => undefined;
  let consumer: SourceMapConsumer | undefined;
  try {
    consumer = new SourceMapConsumer(JSON.parse(Buffer.from(match[1]!, 'base64').toString('utf8')) as RawSourceMap);
  } catch {
    return () => undefined;
  }
  return (line, column) => {
    if (line < 1) return undefined;
    // source-map columns are 0-based; ours are 1-based.
    const found = consumer.originalPositionFor({ line, column: Math.max(0, column - 1) });
    if (!found.source || found.line === null) return undefined;
    return { source: found.source.replace(/^(\.\.\/)+/, ''), line: found.line, column: (found.column ?? 0) + 1 };
  };
}

/** One position; see sourceLocator. */
export function originalPosition(code: string, line: number, column: number): OriginalPosition | undefined {
  return sourceLocator(code)(line, column);
}
