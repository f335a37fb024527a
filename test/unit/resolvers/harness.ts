// Runs the project's resolvers as AppSync would: the BUNDLED code (infra's bundleResolverCode, as
// deployed) through the offline APPSYNC_JS runtime — one handler at a time with evaluateHandler
// (the EvaluateCode twin), or a whole resolver (unit or pipeline, wired as the catalog wires it)
// with runResolver and an in-test data-source answerer standing in for DynamoDB/Lambda.
import {
  compileHandlerCode,
  evaluateHandler,
  runResolver,
  type AuthType,
  type CompiledCode,
  type DataSourceCall,
  type DataSourceOutcome,
  type EvaluatedHandler,
  type ResolverDefinition,
  type ResolverOutcome,
} from '../../../local/appsync/js/index.ts';
import { bundleResolverCode } from '../../../infra/appsync/bundle-resolver.ts';
import { DATA_SOURCES, pipelineFunction, resolverSpec } from '../../../infra/appsync/resolver-catalog.ts';

const bundles = new Map<string, string>();
const compiled = new Map<string, CompiledCode>();

/** The deployed code of a resolver or function file (bundled once per test file). */
export function bundled(entry: string): string {
  let code = bundles.get(entry);
  if (!code) bundles.set(entry, (code = bundleResolverCode(entry)));
  return code;
}

function compiledCode(entry: string): CompiledCode {
  let code = compiled.get(entry);
  if (!code) compiled.set(entry, (code = compileHandlerCode(bundled(entry), entry)));
  return code;
}

// ------------------------------------------------------------------ callers

export function userPoolIdentity(username: string, groups: string[] = []) {
  return {
    sub: `00000000-0000-0000-0000-${username.padStart(12, '0').slice(-12)}`,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test',
    username,
    claims: { 'cognito:username': username, 'cognito:groups': groups, token_use: 'access' },
    sourceIp: ['203.0.113.10'],
    defaultAuthStrategy: 'ALLOW',
    groups: groups.length > 0 ? groups : null,
  };
}

export function iamIdentity(userArn: string) {
  return {
    accountId: '123456789012',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp: ['203.0.113.20'],
    username: 'AROAEXAMPLEROLEID:session',
    userArn,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  };
}

export const viewer = userPoolIdentity('viewer');
export const trader = userPoolIdentity('trader', ['traders']);
export const otherTrader = userPoolIdentity('other-trader', ['traders']);
export const admin = userPoolIdentity('admin', ['admins']);
export const partner = iamIdentity('arn:aws:sts::123456789012:assumed-role/PartnerFeedRole/feed-a');
/** API-key callers have no identity. */
export const apiKey = null;

function authTypeOf(identity: unknown): AuthType {
  if (identity === null) return 'API_KEY';
  return Object.hasOwn(identity as object, 'userArn') ? 'AWS_IAM' : 'AMAZON_COGNITO_USER_POOLS';
}

const info = (parentTypeName: string, fieldName: string) => ({ parentTypeName, fieldName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' });

// ------------------------------------------------------------------ one handler (EvaluateCode)

export interface HandlerContext {
  arguments?: Record<string, unknown>;
  identity?: unknown;
  source?: unknown;
  result?: unknown;
  error?: { message: string; type: string };
  prev?: { result: unknown };
  stash?: Record<string, unknown>;
}

/**
 * One handler of a resolver file (`resolvers/Type.field.ts`) or of a pipeline function
 * (`resolvers/pipeline-functions/<name>.ts`, evaluated for the field `field`), as EvaluateCode runs it.
 */
export function evaluate(entry: string, field: `${string}.${string}`, handler: 'request' | 'response', context: HandlerContext): EvaluatedHandler {
  const [typeName, fieldName] = field.split('.') as [string, string];
  return evaluateHandler(bundled(entry), handler, { arguments: {}, identity: null, ...context, info: info(typeName, fieldName) });
}

// ------------------------------------------------------------------ a whole resolver

/** Answers data-source calls in a test; the NONE data source is answered as AppSync does (its payload). */
export type Answer = (call: DataSourceCall) => DataSourceOutcome | undefined;

export interface Resolved {
  outcome: ResolverOutcome;
  /** The data-source calls made, in order. */
  calls: DataSourceCall[];
}

/** Runs the resolver of `Type.field` as the stack wires it (unit or pipeline), for `identity`. */
export async function resolve(field: `${string}.${string}`, options: { arguments?: Record<string, unknown>; identity: unknown; source?: unknown; answer?: Answer }): Promise<Resolved> {
  const [typeName, fieldName] = field.split('.') as [string, string];
  const spec = resolverSpec(typeName, fieldName);
  const resolver: ResolverDefinition =
    spec.kind === 'UNIT'
      ? { kind: 'UNIT', typeName, fieldName, dataSourceName: DATA_SOURCES[spec.dataSource], code: compiledCode(spec.entry), maxBatchSize: 0 }
      : {
          kind: 'PIPELINE',
          typeName,
          fieldName,
          code: compiledCode(spec.entry),
          functions: spec.functions.map((name) => {
            const fn = pipelineFunction(name);
            return { name, dataSourceName: DATA_SOURCES[fn.dataSource], code: compiledCode(fn.entry), maxBatchSize: 0 };
          }),
        };
  const calls: DataSourceCall[] = [];
  const outcome = await runResolver(
    {
      resolver,
      arguments: options.arguments ?? {},
      identity: options.identity,
      source: options.source ?? null,
      request: { headers: {}, domainName: null },
      info: info(typeName, fieldName),
      env: {},
      authType: authTypeOf(options.identity),
      operation: typeName === 'Query' ? 'query' : typeName === 'Subscription' ? 'subscription' : 'mutation',
      deadline: Date.now() + 30_000,
    },
    async (call) => {
      calls.push(call);
      const answered = options.answer?.(call);
      if (answered) return answered;
      if (call.dataSourceName === DATA_SOURCES.none) return { result: (call.request as { payload?: unknown }).payload ?? null };
      throw new Error(`the test does not answer ${call.dataSourceName} for ${JSON.stringify(call.request)}`);
    },
  );
  return { outcome, calls };
}

// ------------------------------------------------------------------ DynamoDB requests, readably

type Typed = Record<string, unknown>;

/** A typed DynamoDB value as plain JSON (S, N, BOOL, NULL, L, M). */
export function plain(value: unknown): unknown {
  const typed = value as Typed;
  if (typed === undefined || typed === null) return typed;
  if ('S' in typed) return typed.S;
  if ('N' in typed) return Number(typed.N);
  if ('BOOL' in typed) return typed.BOOL;
  if ('NULL' in typed) return null;
  if ('L' in typed) return (typed.L as unknown[]).map(plain);
  if ('M' in typed) return Object.fromEntries(Object.entries(typed.M as Typed).map(([k, v]) => [k, plain(v)]));
  throw new Error(`not a typed DynamoDB value: ${JSON.stringify(value)}`);
}

/** An expression with its names and values substituted: `(version = 3) AND (status <> "SETTLED")`. */
export function readable(expression: { expression: string; expressionNames?: Record<string, string>; expressionValues?: Record<string, unknown> } | undefined): string | undefined {
  if (!expression) return undefined;
  return expression.expression.replace(/[#:][A-Za-z0-9_]+/g, (token) =>
    token.startsWith('#') ? (expression.expressionNames?.[token] ?? token) : JSON.stringify(plain(expression.expressionValues?.[token])),
  );
}

/** The attributes an UpdateItem sets, as plain values by name (`version: "version + 1"` for an increment). */
export function updatedAttributes(request: { update: { expression: string; expressionNames: Record<string, string>; expressionValues: Record<string, unknown> } }): Record<string, unknown> {
  const set = request.update.expression.replace(/^SET /, '');
  return Object.fromEntries(
    set.split(', ').map((assignment) => {
      const [name, value] = assignment.split(' = ') as [string, string];
      const attribute = request.update.expressionNames[name]!;
      const single = /^:[A-Za-z0-9_]+$/.test(value);
      return [attribute, single ? plain(request.update.expressionValues[value]) : readable({ expression: value, expressionNames: request.update.expressionNames, expressionValues: request.update.expressionValues })];
    }),
  );
}

/** A DynamoDB key or item as plain values. */
export function plainItem(typed: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  return typed && Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, plain(v)]));
}
