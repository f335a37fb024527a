export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

export interface Logger {
  log(level: LogLevel, message: string, details?: Record<string, unknown>): void;
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/**
 * One JSON object per line, the shape Powertools' Logger writes (level, message, service,
 * timestamp, then the details), so CloudWatch Logs Insights can query the fields.
 */
export function createLogger(service: string, write: (line: string) => void = (line) => console.log(line)): Logger {
  const log = (level: LogLevel, message: string, details: Record<string, unknown> = {}) =>
    write(JSON.stringify({ level, message, service, timestamp: new Date().toISOString(), ...details }));
  return {
    log,
    info: (message, details) => log('INFO', message, details),
    warn: (message, details) => log('WARN', message, details),
    error: (message, details) => log('ERROR', message, details),
  };
}
