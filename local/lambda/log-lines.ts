/** The platform lines Lambda writes around every invoke, in its text log format. */

export function startLine(requestId: string): string {
  return `START RequestId: ${requestId} Version: $LATEST`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFacts {
  requestId: string;
  durationMs: number;
  memoryMb: number;
  maxMemoryUsedMb?: number;
  initDurationMs?: number;
  status?: 'timeout' | 'error';
  errorType?: string;
}

export function reportLine(facts: ReportFacts): string {
  const parts = [
    `REPORT RequestId: ${facts.requestId}`,
    `Duration: ${facts.durationMs.toFixed(2)} ms`,
    `Billed Duration: ${Math.max(1, Math.ceil(facts.durationMs))} ms`,
    `Memory Size: ${facts.memoryMb} MB`,
    ...(facts.maxMemoryUsedMb !== undefined ? [`Max Memory Used: ${facts.maxMemoryUsedMb} MB`] : []),
    ...(facts.initDurationMs !== undefined ? [`Init Duration: ${facts.initDurationMs.toFixed(2)} ms`] : []),
    ...(facts.status ? [`Status: ${facts.status}`] : []),
    ...(facts.errorType ? [`Error Type: ${facts.errorType}`] : []),
  ];
  return parts.join('\t');
}

/** `<ISO time> <request id> Task timed out after N.00 seconds`, as Lambda logs a timeout. */
export function timeoutLine(requestId: string, message: string): string {
  return `${new Date().toISOString()} ${requestId} ${message}`;
}
