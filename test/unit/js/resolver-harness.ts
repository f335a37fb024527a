// Builds resolver invocations for tests and a recording data-source invoker (a NONE data source
// that echoes `payload`, or any behaviour a test gives it).
import { compileHandlerCode, runResolver, type DataSourceCall, type DataSourceOutcome, type ResolverDefinition, type ResolverInvocation, type ResolverOutcome } from '../../../local/appsync/js/index.ts';

export function compile(code: string, origin = 'test.js') {
  return compileHandlerCode(code, origin);
}

export function invocation(resolver: ResolverDefinition, overrides: Partial<ResolverInvocation> = {}): ResolverInvocation {
  return {
    resolver,
    arguments: {},
    identity: null,
    source: null,
    request: { headers: {}, domainName: null },
    info: { fieldName: resolver.fieldName, parentTypeName: resolver.typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    env: {},
    authType: 'API_KEY',
    operation: resolver.typeName === 'Mutation' ? 'mutation' : resolver.typeName === 'Subscription' ? 'subscription' : 'query',
    deadline: Date.now() + 30_000,
    ...overrides,
  };
}

export function unit(code: string, overrides: { typeName?: string; fieldName?: string; dataSourceName?: string } = {}): ResolverDefinition {
  return { kind: 'UNIT', typeName: overrides.typeName ?? 'Query', fieldName: overrides.fieldName ?? 'field', dataSourceName: overrides.dataSourceName ?? 'ds', code: compile(code), maxBatchSize: 0 };
}

export function pipeline(code: string, functions: { name: string; code: string; dataSourceName?: string }[], typeName = 'Query'): ResolverDefinition {
  return {
    kind: 'PIPELINE',
    typeName,
    fieldName: 'field',
    code: compile(code, 'resolver.js'),
    functions: functions.map((f) => ({ name: f.name, dataSourceName: f.dataSourceName ?? f.name, code: compile(f.code, `${f.name}.js`), maxBatchSize: 0 })),
  };
}

/** Records every call; answers with `answer` or, by default, echoes `payload` as NONE does. */
export function recordingInvoker(answer?: (call: DataSourceCall) => DataSourceOutcome | Promise<DataSourceOutcome>) {
  const calls: DataSourceCall[] = [];
  const invoke = async (call: DataSourceCall) => {
    calls.push(call);
    if (answer) return answer(call);
    return { result: (call.request as { payload?: unknown } | null)?.payload ?? null };
  };
  return { calls, invoke };
}

export async function resolve(resolver: ResolverDefinition, overrides: Partial<ResolverInvocation> = {}, answer?: Parameters<typeof recordingInvoker>[0]): Promise<ResolverOutcome & { calls: DataSourceCall[] }> {
  const { calls, invoke } = recordingInvoker(answer);
  const outcome = await runResolver(invocation(resolver, overrides), invoke);
  return { ...outcome, calls };
}
