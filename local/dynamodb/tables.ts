import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
  type GlobalSecondaryIndexDescription,
  type KeySchemaElement,
  type LocalSecondaryIndexDescription,
  type Projection,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableModel } from '../assembly/model.ts';

type IndexModel = NonNullable<TableModel['globalSecondaryIndexes']>[number];

/** A persistent table whose shape cannot change without losing its items. */
export class TableShapeConflictError extends Error {}

const WAIT_TIMEOUT_MS = 30_000;

/**
 * Makes DynamoDB Local hold the tables of the model: keys, attribute definitions, GSIs, LSIs,
 * streams and TTL. On a persistent store an existing table keeps its items; changes that lose
 * no items (indexes, which are derived, streams, TTL) are applied; a different key schema or
 * LSI set (fixed at creation in DynamoDB) is refused, naming the table and the way to reset.
 */
export async function ensureTables(
  client: DynamoDBClient,
  tables: TableModel[],
  log: (line: string) => void,
  options: { dataDir?: string } = {},
): Promise<void> {
  for (const table of tables) {
    const existing = await describe(client, table.tableName);
    if (!existing) {
      await create(client, table);
      log(`table ${table.tableName} created (${table.stackName}/${table.logicalId})`);
    } else {
      refuseDestructiveChanges(table, existing, options.dataDir);
      await reconcileIndexes(client, table, existing, log);
      await reconcileStream(client, table, existing, log);
    }
    await reconcileTimeToLive(client, table, log);
  }
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

async function create(client: DynamoDBClient, table: TableModel): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table.tableName,
      KeySchema: table.keySchema,
      AttributeDefinitions: definitionsFor(table, [table.keySchema, ...[...(table.globalSecondaryIndexes ?? []), ...(table.localSecondaryIndexes ?? [])].map((i) => i.KeySchema)]),
      // Capacity means nothing locally; on-demand needs no numbers for the table or its GSIs.
      BillingMode: 'PAY_PER_REQUEST',
      ...(table.globalSecondaryIndexes?.length && { GlobalSecondaryIndexes: table.globalSecondaryIndexes.map(indexRequest) }),
      ...(table.localSecondaryIndexes?.length && { LocalSecondaryIndexes: table.localSecondaryIndexes.map(indexRequest) }),
      ...(table.streamViewType && { StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }),
    }),
  );
  await waitUntil(client, table.tableName, (t) => t.TableStatus === 'ACTIVE', 'to become ACTIVE');
}

/** DynamoDB takes exactly the definitions of the key attributes a request uses, no more. */
function definitionsFor(table: TableModel, keySchemas: KeySchemaElement[][]): AttributeDefinition[] {
  const used = new Set(keySchemas.flat().map((k) => k.AttributeName));
  return table.attributeDefinitions.filter((d) => used.has(d.AttributeName));
}

/** Only the parts of a template's index that CreateTable/UpdateTable take (no capacity). */
function indexRequest(index: IndexModel): { IndexName: string; KeySchema: KeySchemaElement[]; Projection: Projection } {
  return { IndexName: index.IndexName, KeySchema: index.KeySchema, Projection: projectionOf(index.Projection) };
}

function projectionOf(projection: IndexModel['Projection'] | undefined): Projection {
  // CloudFormation's Projection.ProjectionType is optional; CDK always sets it, ALL by default.
  const type = (projection?.ProjectionType ?? 'ALL') as Projection['ProjectionType'];
  return { ProjectionType: type, ...(type === 'INCLUDE' && { NonKeyAttributes: projection?.NonKeyAttributes ?? [] }) };
}

function refuseDestructiveChanges(table: TableModel, existing: TableDescription, dataDir: string | undefined): void {
  const differences: string[] = [];
  const wanted = keyDescription(table.keySchema, table.attributeDefinitions);
  const found = keyDescription(existing.KeySchema ?? [], existing.AttributeDefinitions ?? []);
  if (wanted !== found) differences.push(`its key schema is ${found}, the assembly wants ${wanted}`);

  const wantedLsis = indexSetDescription(table.localSecondaryIndexes ?? [], table.attributeDefinitions);
  const foundLsis = indexSetDescription(existing.LocalSecondaryIndexes ?? [], existing.AttributeDefinitions ?? []);
  if (wantedLsis !== foundLsis) differences.push(`its local secondary indexes are ${foundLsis || 'none'}, the assembly wants ${wantedLsis || 'none'}`);

  if (differences.length === 0) return;
  const reset = dataDir
    ? `stop the runtime and delete ${dataDir} (this deletes the items of every table) to start afresh`
    : `delete the runtime's DynamoDB data folder (this deletes the items of every table) to start afresh`;
  throw new TableShapeConflictError(
    `table ${table.tableName} (${table.stackName}/${table.logicalId}) already exists with a different shape that DynamoDB cannot change in place: ` +
      `${differences.join('; ')}. Its items are kept and nothing was changed; ${reset}.`,
  );
}

function keyDescription(keySchema: KeySchemaElement[], definitions: AttributeDefinition[]): string {
  const typeOf = (name: string | undefined) => definitions.find((d) => d.AttributeName === name)?.AttributeType ?? '?';
  const part = (kind: 'HASH' | 'RANGE') => {
    const element = keySchema.find((k) => k.KeyType === kind);
    return element && `${kind} ${element.AttributeName} (${typeOf(element.AttributeName)})`;
  };
  return [part('HASH'), part('RANGE')].filter(Boolean).join(', ');
}

type AnyIndex = IndexModel | GlobalSecondaryIndexDescription | LocalSecondaryIndexDescription;

function indexDescription(index: AnyIndex, definitions: AttributeDefinition[]): string {
  const projection = projectionOf(index.Projection as IndexModel['Projection'] | undefined);
  const include = projection.NonKeyAttributes?.length ? ` [${[...projection.NonKeyAttributes].sort().join(', ')}]` : '';
  return `${index.IndexName}: ${keyDescription(index.KeySchema ?? [], definitions)}, projection ${projection.ProjectionType}${include}`;
}

function indexSetDescription(indexes: AnyIndex[], definitions: AttributeDefinition[]): string {
  return indexes
    .map((i) => indexDescription(i, definitions))
    .sort()
    .join('; ');
}

/** GSIs hold no data of their own: missing ones are created, changed ones rebuilt, stale ones dropped. */
async function reconcileIndexes(client: DynamoDBClient, table: TableModel, existing: TableDescription, log: (line: string) => void): Promise<void> {
  const wanted = new Map((table.globalSecondaryIndexes ?? []).map((i) => [i.IndexName, i]));
  const found = new Map((existing.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName!, i]));
  const existingDefinitions = existing.AttributeDefinitions ?? [];

  for (const [name, index] of found) {
    const target = wanted.get(name);
    if (target && indexDescription(target, table.attributeDefinitions) === indexDescription(index, existingDefinitions)) continue;
    await client.send(new UpdateTableCommand({ TableName: table.tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: name } }] }));
    await waitUntil(client, table.tableName, (t) => !t.GlobalSecondaryIndexes?.some((i) => i.IndexName === name), `to drop index ${name}`);
    log(target ? `table ${table.tableName}: index ${name} changed shape; rebuilding it` : `table ${table.tableName}: index ${name} is no longer in the assembly; dropped it`);
    found.delete(name);
  }
  for (const [name, index] of wanted) {
    if (found.has(name)) continue;
    await client.send(
      new UpdateTableCommand({
        TableName: table.tableName,
        AttributeDefinitions: definitionsFor(table, [table.keySchema, index.KeySchema]),
        GlobalSecondaryIndexUpdates: [{ Create: indexRequest(index) }],
      }),
    );
    await waitUntil(
      client,
      table.tableName,
      (t) => t.GlobalSecondaryIndexes?.some((i) => i.IndexName === name && i.IndexStatus === 'ACTIVE') ?? false,
      `to build index ${name}`,
    );
    log(`table ${table.tableName}: index ${name} created`);
  }
}

async function reconcileStream(client: DynamoDBClient, table: TableModel, existing: TableDescription, log: (line: string) => void): Promise<void> {
  const current = existing.StreamSpecification?.StreamEnabled ? existing.StreamSpecification.StreamViewType : undefined;
  if (current === table.streamViewType) return;
  // A stream's view type cannot change in place: DynamoDB needs it disabled, then a new one enabled.
  if (current) {
    await client.send(new UpdateTableCommand({ TableName: table.tableName, StreamSpecification: { StreamEnabled: false } }));
    await waitUntil(client, table.tableName, (t) => !t.StreamSpecification?.StreamEnabled, 'to disable its stream');
  }
  if (table.streamViewType) {
    await client.send(new UpdateTableCommand({ TableName: table.tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: table.streamViewType } }));
    await waitUntil(client, table.tableName, (t) => t.StreamSpecification?.StreamViewType === table.streamViewType, 'to enable its stream');
  }
  log(`table ${table.tableName}: stream ${current ?? 'off'} → ${table.streamViewType ?? 'off'}${current && table.streamViewType ? ' (a new stream)' : ''}`);
}

async function reconcileTimeToLive(client: DynamoDBClient, table: TableModel, log: (line: string) => void): Promise<void> {
  const description = (await client.send(new DescribeTimeToLiveCommand({ TableName: table.tableName }))).TimeToLiveDescription;
  const enabled = description?.TimeToLiveStatus === 'ENABLED' || description?.TimeToLiveStatus === 'ENABLING';
  const current = enabled ? description?.AttributeName : undefined;
  if (current === table.timeToLiveAttribute) return;
  if (current) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: table.tableName, TimeToLiveSpecification: { AttributeName: current, Enabled: false } }));
  }
  if (table.timeToLiveAttribute) {
    await client.send(new UpdateTimeToLiveCommand({ TableName: table.tableName, TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true } }));
  }
  log(`table ${table.tableName}: TTL ${current ?? 'off'} → ${table.timeToLiveAttribute ?? 'off'}`);
}

async function waitUntil(client: DynamoDBClient, tableName: string, done: (table: TableDescription) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    let table: TableDescription | undefined;
    let failure = '';
    try {
      table = await describe(client, tableName);
    } catch (error) {
      // DynamoDB Local sometimes answers DescribeTable with InternalFailure while it builds an
      // index over existing items (seen in CI); a server-side failure is retryable, so keep polling.
      if (!isServerFailure(error)) throw error;
      failure = `, last answer ${(error as Error).name}: ${(error as Error).message}`;
    }
    if (table && done(table)) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not finish ${what} within ${WAIT_TIMEOUT_MS / 1000} s (status ${table?.TableStatus ?? 'absent'}${failure})`);
    await new Promise((resume) => setTimeout(resume, 50));
  }
}

function isServerFailure(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | null;
  return e?.name === 'InternalFailure' || e?.name === 'InternalServerError' || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}
