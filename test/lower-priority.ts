import { setPriority } from 'node:os';

/**
 * The network-failure tests hold recovery to 2 s of wall time and run beside the rest of the
 * suite (vitest.config.ts). The rest is CPU-bound, so its workers — and the JVMs, browsers and
 * runtimes they start, which inherit the niceness — give way whenever an outage test needs the
 * CPU, instead of stretching its recovery.
 */
setPriority(10);
