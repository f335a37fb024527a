// The contract of `appsync/js/` (local/README.md): what the GraphQL executor, the data sources
// and tests exchange with the APPSYNC_JS runtime.
import type { CompiledCode } from './sandbox/compiled-code.ts';

export type { CompiledCode };

export type AuthType = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';
export type OperationKind = 'query' | 'mutation' | 'subscription';

export type ResolverDefinition =
  | { kind: 'UNIT'; typeName: string; fieldName: string; dataSourceName: string; code?: CompiledCode; maxBatchSize: number }
  | {
      kind: 'PIPELINE';
      typeName: string;
      fieldName: string;
      code: CompiledCode;
      functions: PipelineFunctionDefinition[];
    };

export interface PipelineFunctionDefinition {
  name: string;
  dataSourceName: string;
  code: CompiledCode;
  maxBatchSize: number;
}

export interface ResolverInvocation {
  resolver: ResolverDefinition;
  arguments: Record<string, unknown>;
  /** null for API_KEY. */
  identity: unknown;
  /** null at root fields. */
  source: unknown;
  request: { headers: Record<string, string | string[]>; domainName: string | null };
  info: InvocationInfo;
  env: Record<string, string>;
  authType: AuthType;
  operation: OperationKind;
  /** Epoch ms: AppSync's 30 s request limit. */
  deadline: number;
}

/** `ctx.info` as the runtime hands it over: the selection set list may be a cached, frozen one (each handler gets its own copy). */
export type InvocationInfo = Omit<ResolverInfo, 'selectionSetList'> & { selectionSetList: readonly string[] };

export interface ResolverInfo {
  fieldName: string;
  parentTypeName: string;
  variables: Record<string, unknown>;
  selectionSetList: string[];
  selectionSetGraphQL: string;
}

export interface AppSyncFieldError {
  message: string;
  errorType: string | null;
  data: unknown;
  errorInfo: unknown;
}

export interface ResolverExtensions {
  /** extensions.setSubscriptionFilter (subscription response handler). */
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  invalidations: { subscriptionField: string; payload: Record<string, unknown> }[];
  cacheEvictions: { typeName: string; fieldName: string; keys: Record<string, unknown> }[];
}

export interface ResolverOutcome {
  /** The field's value (null when `error` is set). */
  data: unknown;
  /** util.error / util.unauthorized / a runtime exception: nulls the field. */
  error?: AppSyncFieldError;
  /** util.appendError (and ResponseHeaderError): kept alongside the data. */
  appendedErrors: AppSyncFieldError[];
  logs: string[];
  stash: Record<string, unknown>;
  extensions: ResolverExtensions;
  /** util.http.addResponseHeader(s). */
  responseHeaders: Record<string, string>;
}

export type { DataSourceCall, DataSourceInvoker, DataSourceOutcome } from '../datasources/types.ts';
