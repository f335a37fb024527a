import { readCloudAssembly, type CfnResource } from '../local/assembly/cloud-assembly.ts';
import { buildAppModel } from '../local/assembly/model.ts';
import type { AppResources, FunctionRole, TableRole } from './model/types.ts';

/**
 * What the synthesized app deploys that costs money: each Lambda's memory, timeout, architecture
 * and tracing; each table's billing mode, streams, GSIs and backups; the APIs' auth modes; the
 * user pools' tier; alarms and log groups. Read through local/'s assembly model, with the raw
 * template for the properties that model leaves out (architecture, tracing, PITR, alarms).
 */
export function readAppResources(assemblyDir: string): AppResources {
  const assembly = readCloudAssembly(assemblyDir);
  const model = buildAppModel(assembly, { region: 'us-east-1', accountId: '000000000000', appsyncBaseUrl: () => 'http://localhost', secretSeed: 'cost-model' });
  const raw = new Map<string, CfnResource>();
  for (const stack of assembly.stacks) for (const [id, resource] of Object.entries(stack.template.Resources)) raw.set(`${stack.stackName}/${id}`, resource);
  const all = [...raw.entries()];
  const props = (stackName: string, logicalId: string) => raw.get(`${stackName}/${logicalId}`)?.Properties ?? {};

  const functions = model.functions.map((fn) => {
    const p = props(fn.stackName, fn.logicalId);
    const mapping = model.eventSourceMappings.find((m) => m.functionName === fn.functionName);
    const architectures = p.Architectures as string[] | undefined;
    return {
      logicalId: fn.logicalId,
      role: functionRole(fn.logicalId),
      memoryMb: fn.memoryMb,
      timeoutSeconds: fn.timeoutSeconds,
      architecture: architectures?.[0] === 'arm64' ? ('arm64' as const) : ('x86_64' as const),
      tracing: (p.TracingConfig as { Mode?: string } | undefined)?.Mode === 'Active',
      ...(mapping && { streamBatchSize: mapping.batchSize }),
      environment: fn.environment,
    };
  });

  const tables = model.tables.map((table) => {
    const p = props(table.stackName, table.logicalId);
    return {
      logicalId: table.logicalId,
      role: tableRole(table.logicalId),
      onDemand: p.BillingMode === 'PAY_PER_REQUEST',
      pointInTimeRecovery: (p.PointInTimeRecoverySpecification as { PointInTimeRecoveryEnabled?: boolean } | undefined)?.PointInTimeRecoveryEnabled === true,
      stream: table.streamViewType !== undefined,
      ttl: table.timeToLiveAttribute !== undefined,
      gsisProjectingAll: (table.globalSecondaryIndexes ?? []).filter((g) => (g.Projection.ProjectionType ?? 'KEYS_ONLY') === 'ALL').length,
    };
  });

  const apis = model.apis.map((api) => {
    const p = props(api.stackName, api.logicalId);
    return {
      name: api.name,
      authModes: [api.defaultAuth.type, ...api.additionalAuth.map((a) => a.type)],
      xrayEnabled: p.XrayEnabled === true,
      fieldLogLevel: ((p.LogConfig as { FieldLogLevel?: string } | undefined)?.FieldLogLevel ?? 'NONE'),
    };
  });

  // A pool without UserPoolTier gets Essentials, the default tier of new pools (UNVERIFIED, see the prices file).
  const userPools = model.userPools.map((pool) => ({ name: pool.logicalId, tier: typeof pool.properties.UserPoolTier === 'string' ? pool.properties.UserPoolTier : 'ESSENTIALS' }));
  const alarms = all.filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm').length;
  const logGroups = all
    .filter(([, r]) => r.Type === 'AWS::Logs::LogGroup')
    .map(([key, r]) => ({ name: key.split('/')[1]!, retentionDays: typeof r.Properties?.RetentionInDays === 'number' ? r.Properties.RetentionInDays : null }));
  return { functions, tables, apis, userPools, alarms, logGroups };
}

/** Pricestream's functions and tables by their construct ids (docs/data-model.md, infra/pricestream-stack.ts). */
function functionRole(logicalId: string): FunctionRole {
  if (logicalId.startsWith('IngestFeed')) return 'ingest';
  if (logicalId.startsWith('PriceEngine')) return 'pricing';
  if (logicalId.startsWith('JobRunner')) return 'jobs';
  if (logicalId.startsWith('Heartbeat')) return 'heartbeat';
  if (logicalId.startsWith('EventPublisher')) return 'events';
  return 'other';
}

function tableRole(logicalId: string): TableRole {
  const roles: [string, TableRole][] = [
    ['EventsTable', 'events'],
    ['MarketsTable', 'markets'],
    ['PricesTable', 'prices'],
    ['PublicationsTable', 'publications'],
    ['JobsTable', 'jobs'],
    ['FeedMessagesTable', 'feedMessages'],
  ];
  return roles.find(([prefix]) => logicalId.startsWith(prefix))?.[1] ?? 'other';
}
