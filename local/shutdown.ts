/**
 * Runs `stop` once on Ctrl-C or SIGTERM and then exits, so that no child process (DynamoDB
 * Local's JVM, ...) outlives the runtime. A second Ctrl-C exits at once.
 */
export function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    stop()
      .catch((error: Error) => console.error(`while stopping: ${error.message}`))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}
