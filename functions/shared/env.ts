/** A required environment variable of a Lambda, or an error naming it and who needs it. */
export function requireEnv(name: string, functionName: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${functionName}: environment variable ${name} is not set (see docs/data-model.md, "Lambda environment")`);
  return value;
}

/** Reads a Lambda's configuration once, on first use, so that importing a handler never throws. */
export function lazy<T>(read: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= read());
}
