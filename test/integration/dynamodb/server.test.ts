import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/dynamodb/server.ts';

const started: DynamoDbLocal[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((d) => d.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function start(options: Parameters<typeof startDynamoDbLocal>[0] = {}): Promise<DynamoDbLocal> {
  const server = await startDynamoDbLocal(options);
  started.push(server);
  return server;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ddb-server-test-'));
  dirs.push(dir);
  return dir;
}

const client = (endpoint: string, accessKeyId = 'local', region = 'us-east-1') =>
  new DynamoDBClient({ endpoint, region, credentials: { accessKeyId, secretAccessKey: 'local' }, maxAttempts: 1 });

/**
 * Whether DynamoDB Local answers at `endpoint`. A stopped one refuses the connection at once; a
 * running one may take seconds for its first request on a loaded machine, hence the long wait.
 */
async function answers(endpoint: string): Promise<boolean> {
  const c = client(endpoint);
  try {
    await c.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(15_000) });
    return true;
  } catch {
    return false;
  } finally {
    c.destroy();
  }
}

async function eventually(check: () => Promise<boolean>, what: string, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const table = (TableName: string) =>
  new CreateTableCommand({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' });

describe('startDynamoDbLocal', () => {
  it('starts in memory on a free port, answers, and stops for good', async () => {
    const lines: string[] = [];
    const server = await start({ log: (l) => lines.push(l) });
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await answers(server.endpoint)).toBe(true);
    expect(lines.join('\n')).toMatch(/in memory\), ready in \d+ ms/);
    await server.stop();
    await server.stop();
    expect(await answers(server.endpoint)).toBe(false);
  });

  it('runs two at once on different ports without sharing data', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    expect(a.endpoint).not.toBe(b.endpoint);
    const ca = client(a.endpoint);
    const cb = client(b.endpoint);
    await ca.send(table('OnlyInA'));
    expect((await cb.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    ca.destroy();
    cb.destroy();
  });

  // DynamoDB Local refuses access keys that are not letters and digits
  // (UnrecognizedClientException), so local role keys must be alphanumeric.
  it('shares one database across access keys and regions (-sharedDb)', async () => {
    const server = await start();
    const writer = client(server.endpoint, 'ASIALOCALROLEA', 'us-east-1');
    const reader = client(server.endpoint, 'ASIALOCALROLEB', 'eu-west-1');
    await writer.send(table('Shared'));
    await writer.send(new PutItemCommand({ TableName: 'Shared', Item: { id: { S: '1' } } }));
    expect((await reader.send(new GetItemCommand({ TableName: 'Shared', Key: { id: { S: '1' } } }))).Item).toEqual({ id: { S: '1' } });
    writer.destroy();
    reader.destroy();
  });

  it('keeps data in dataDir across restarts', async () => {
    const dataDir = join(tempDir(), 'nested', 'dynamodb');
    const first = await start({ dataDir });
    const c1 = client(first.endpoint, 'one');
    await c1.send(table('Kept'));
    await c1.send(new PutItemCommand({ TableName: 'Kept', Item: { id: { S: 'x' } } }));
    c1.destroy();
    await first.stop();

    const second = await start({ dataDir });
    const c2 = client(second.endpoint, 'anotherKey', 'ap-southeast-2');
    expect((await c2.send(new GetItemCommand({ TableName: 'Kept', Key: { id: { S: 'x' } } }))).Item).toEqual({ id: { S: 'x' } });
    c2.destroy();
  });

  it('says that Java is missing when java cannot be run', async () => {
    const saved = { PATH: process.env.PATH, JAVA_HOME: process.env.JAVA_HOME };
    const onlySetpriv = tempDir();
    symlinkSync('/usr/bin/setpriv', join(onlySetpriv, 'setpriv'));
    try {
      delete process.env.JAVA_HOME;
      // Without setpriv: spawn fails with ENOENT.
      process.env.PATH = join(onlySetpriv, 'nothing-here');
      await expect(startDynamoDbLocal()).rejects.toThrow(/needs Java 17 or later, and java was not found/);
      // Through setpriv (the Linux parent-death guard): setpriv exits 127.
      process.env.PATH = onlySetpriv;
      await expect(startDynamoDbLocal()).rejects.toThrow(/needs Java 17 or later, and java was not found/);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.JAVA_HOME !== undefined) process.env.JAVA_HOME = saved.JAVA_HOME;
    }
  });

  it('says when the JVM is slow to answer, waits on, and gives up at the limit with its output', async () => {
    // A "java" that prints like DynamoDB Local and never listens: a JVM starved of CPU looks the same.
    const javaHome = tempDir();
    mkdirSync(join(javaHome, 'bin'));
    writeFileSync(join(javaHome, 'bin', 'java'), '#!/bin/sh\necho "Initializing DynamoDB Local"\nexec sleep 60\n', { mode: 0o755 });
    const saved = process.env.JAVA_HOME;
    process.env.JAVA_HOME = javaHome;
    const lines: string[] = [];
    try {
      const starting = startDynamoDbLocal({ log: (line) => lines.push(line), startupWait: { slowMs: 400, limitMs: 1_500 } });
      await expect(starting).rejects.toThrow(/did not answer ListTables on http:\/\/127\.0\.0\.1:\d+ within 1\.5 s:\nInitializing DynamoDB Local/);
      expect(lines.filter((line) => /not answering on http:\/\/127\.0\.0\.1:\d+ after 0\.4 s \(is the machine busy\?\); waiting up to 1\.5 s$/.test(line))).toHaveLength(1);
    } finally {
      if (saved === undefined) delete process.env.JAVA_HOME;
      else process.env.JAVA_HOME = saved;
    }
  });

  it('reports the JVM output when it fails to start', async () => {
    const blocker = await start();
    const port = Number(new URL(blocker.endpoint).port);
    await expect(startDynamoDbLocal({ port })).rejects.toThrow(/could not listen on port \d+, which is in use:[\s\S]*Address already in use/);
  });

  it('does not outlive a Node process that is killed with SIGKILL', async () => {
    const script = `
      import { startDynamoDbLocal } from ${JSON.stringify(join(process.cwd(), 'local/dynamodb/server.ts'))};
      const server = await startDynamoDbLocal();
      console.log(server.endpoint);
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const endpoint = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
      child.once('exit', (code) => reject(new Error(`the script exited with ${code}`)));
    });
    expect(await answers(endpoint)).toBe(true);
    child.kill('SIGKILL');
    await eventually(async () => !(await answers(endpoint)), `DynamoDB Local at ${endpoint} stops after its parent was killed`);
  });
});
