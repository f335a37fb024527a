import { util, type Context } from '@aws-appsync/utils';

// Every error names the field being resolved, what was expected and the offending value, so a
// client (or a log reader) can act on it without the resolver's source. errorInfo is not
// filtered by the query's selection set (data is), so the details travel there.

/** `Type.field` of the running resolver: the prefix of every message. */
export function fieldOf(ctx: Context): string {
  return `${ctx.info.parentTypeName}.${ctx.info.fieldName}`;
}

export function invalidArgument(ctx: Context, field: string, expected: string, value: unknown): never {
  return util.error(`${fieldOf(ctx)}: ${field} must be ${expected}; got ${JSON.stringify(value)}`, 'ValidationError', null, {
    field,
    expected,
    value,
  });
}

export function notFound(ctx: Context, field: string, what: string, value: unknown): never {
  return util.error(`${fieldOf(ctx)}: ${what} ${JSON.stringify(value)} does not exist`, 'NotFound', null, { field, value });
}

/** The target exists but is in a state that forbids the change. */
export function invalidState(ctx: Context, message: string, errorInfo: Record<string, unknown>): never {
  return util.error(`${fieldOf(ctx)}: ${message}`, 'InvalidState', null, errorInfo);
}

/**
 * Data-source errors only fill ctx.error; AppSync raises nothing unless the response handler
 * does, so every response handler calls this first.
 */
export function raiseDataSourceError(ctx: Context): void {
  if (ctx.error) util.error(`${fieldOf(ctx)}: ${ctx.error.message}`, ctx.error.type);
}

/** A condition check that failed: AppSync puts the item as it is now in ctx.result. */
export function isConditionFailure(ctx: Context): boolean {
  return !!ctx.error && ctx.error.type === 'DynamoDB:ConditionalCheckFailedException';
}
