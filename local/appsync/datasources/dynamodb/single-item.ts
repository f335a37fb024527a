import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { isServiceError, type DynamoDbServiceError } from '../../../dynamodb/wire-client.ts';
import { DataSourceRequestError, malformedRequest, missingField } from '../errors.ts';
import type { DataSourceOutcome } from '../types.ts';
import { serviceError, type DynamoDbCallContext } from './context.ts';
import { mergeExpressions, readExpression, readOptionalExpression, type Expression } from './expressions.ts';
import { optionalBoolean, optionalItem, refuseVersioningFields, requiredKey, type RequestObject } from './request-fields.ts';
import { describe, plainItem, sameItem, typedItem } from './typed-values.ts';

export async function getItem(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const key = requiredKey(request, 'key');
  const projection = readOptionalExpression(request.projection, 'projection');
  const out = await ctx.client.call(
    'GetItem',
    {
      TableName: ctx.tableName,
      Key: key,
      ConsistentRead: optionalBoolean(request, 'consistentRead') ?? false,
      ...(projection && { ProjectionExpression: projection.expression }),
      ...mergeExpressions([projection], 'projection'),
    },
    ctx.signal,
  );
  return { result: out.Item ? plainItem(out.Item) : null };
}

type WriteOperation = 'PutItem' | 'UpdateItem' | 'DeleteItem';

/** The fields of each write that a Custom handler's `retryMapping` may replace. */
const RETRYABLE_FIELDS: Record<WriteOperation, string[]> = {
  PutItem: ['attributeValues', 'condition'],
  UpdateItem: ['update', 'condition'],
  DeleteItem: ['condition'],
};

interface Condition extends Expression {
  equalsIgnore: Set<string>;
  consistentRead: boolean;
  handler: { strategy: 'Reject' } | { strategy: 'Custom'; lambdaArn: string };
}

/**
 * PutItem, UpdateItem and DeleteItem, with AppSync's handling of a failed condition
 * (docs/reference/appsync-js-runtime.md §6.3, D-DDB-condition-expressions): read the current item; a write whose desired
 * result is already there succeeds; otherwise Reject (the error, with the current item as the
 * result) or ask the Custom handler's Lambda to reject, discard or retry. A retry runs once, and
 * if its condition fails too the Reject strategy applies.
 */
export async function conditionalWrite(ctx: DynamoDbCallContext, operation: WriteOperation, original: RequestObject): Promise<DataSourceOutcome> {
  let request = original;
  for (let retried = false; ; retried = true) {
    const key = requiredKey(request, 'key');
    refuseVersioningFields(request, operation);
    const condition = readCondition(request.condition);
    const item = operation === 'PutItem' ? { ...optionalItem(request, 'attributeValues'), ...key } : undefined;
    const update = operation === 'UpdateItem' ? readUpdate(request) : undefined;
    let failure: DynamoDbServiceError;
    try {
      return { result: await write(ctx, operation, key, condition, item, update) };
    } catch (error) {
      if (!isServiceError(error, 'ConditionalCheckFailedException') || !condition) throw error;
      failure = error;
    }

    const current = (
      await ctx.client.call('GetItem', { TableName: ctx.tableName, Key: key, ConsistentRead: condition.consistentRead }, ctx.signal)
    ).Item;
    if (operation === 'PutItem' && current && sameItem(current, item!, condition.equalsIgnore)) return { result: plainItem(current) };
    if (operation === 'DeleteItem' && !current) return { result: null };

    const rejected: DataSourceOutcome = { result: current ? plainItem(current) : null, error: serviceError(failure)! };
    if (condition.handler.strategy === 'Reject' || retried) return rejected;

    const decision = await askConflictHandler(ctx, condition.handler.lambdaArn, request, current);
    if (decision.action === 'reject') return rejected;
    if (decision.action === 'discard') return { result: current ? plainItem(current) : null };
    request = retryRequest(operation, request, decision.retryMapping);
  }
}

/**
 * The request with the handler's `retryMapping` applied: only the operation's own fields
 * (never the key); its `condition` may not name a handler. UNVERIFIED: a retry condition's
 * fields are merged over the original condition's (the docs show retry conditions carrying only
 * `equalsIgnore`/`consistentRead`).
 */
function retryRequest(operation: WriteOperation, request: RequestObject, retryMapping: Record<string, unknown>): RequestObject {
  const next: RequestObject = { ...request };
  for (const field of RETRYABLE_FIELDS[operation]) {
    if (retryMapping[field] === undefined) continue;
    if (field !== 'condition') {
      next[field] = retryMapping[field];
      continue;
    }
    const original = typeof request.condition === 'string' ? (JSON.parse(request.condition) as RequestObject) : ((request.condition ?? {}) as RequestObject);
    const { conditionalCheckFailedHandler: _ignored, ...retry } = retryMapping.condition as RequestObject;
    const { conditionalCheckFailedHandler: _original, ...kept } = original;
    next.condition = { ...kept, ...retry };
  }
  return next;
}

async function write(
  ctx: DynamoDbCallContext,
  operation: WriteOperation,
  key: Record<string, AttributeValue>,
  condition: Condition | undefined,
  item: Record<string, AttributeValue> | undefined,
  update: Expression | undefined,
): Promise<unknown> {
  const conditionPart = condition && { ConditionExpression: condition.expression };
  switch (operation) {
    case 'PutItem':
      await ctx.client.call('PutItem', { TableName: ctx.tableName, Item: item, ...conditionPart, ...mergeExpressions([condition], 'condition') }, ctx.signal);
      // The item as written; DynamoDB's PutItem cannot return the new image.
      return plainItem(item!);
    case 'UpdateItem': {
      const out = await ctx.client.call(
        'UpdateItem',
        {
          TableName: ctx.tableName,
          Key: key,
          UpdateExpression: update!.expression,
          ...conditionPart,
          ...mergeExpressions([update, condition], 'update/condition'),
          // UNVERIFIED (docs/reference/appsync-js-runtime.md §6.2): the result is taken to be the whole item after the update.
          ReturnValues: 'ALL_NEW',
        },
        ctx.signal,
      );
      return out.Attributes ? plainItem(out.Attributes) : null;
    }
    case 'DeleteItem': {
      const out = await ctx.client.call('DeleteItem', { TableName: ctx.tableName, Key: key, ...conditionPart, ...mergeExpressions([condition], 'condition'), ReturnValues: 'ALL_OLD' }, ctx.signal);
      return out.Attributes ? plainItem(out.Attributes) : null;
    }
  }
}

function readUpdate(request: RequestObject): Expression {
  if (request.update === undefined || request.update === null) throw missingField('update');
  return readExpression(request.update, 'update');
}

function readCondition(raw: unknown): Condition | undefined {
  const parsed = readOptionalExpression(raw, 'condition');
  if (!parsed) return undefined;
  const { source } = parsed;
  const equalsIgnore = source.equalsIgnore ?? [];
  if (!Array.isArray(equalsIgnore) || equalsIgnore.some((n) => typeof n !== 'string')) throw malformedRequest(`condition.equalsIgnore must be a list of attribute names; got ${describe(equalsIgnore)}`);
  const consistentRead = optionalBoolean(source, 'consistentRead', 'condition.consistentRead') ?? true;
  return { ...parsed, equalsIgnore: new Set(equalsIgnore as string[]), consistentRead, handler: readHandler(source.conditionalCheckFailedHandler) };
}

function readHandler(raw: unknown): Condition['handler'] {
  if (raw === undefined || raw === null) return { strategy: 'Reject' };
  const handler = raw as { strategy?: unknown; lambdaArn?: unknown };
  if (typeof raw !== 'object' || (handler.strategy !== 'Reject' && handler.strategy !== 'Custom')) {
    throw malformedRequest(`condition.conditionalCheckFailedHandler.strategy must be Reject or Custom; got ${describe(handler.strategy)}`);
  }
  if (handler.strategy === 'Reject') return { strategy: 'Reject' };
  if (typeof handler.lambdaArn !== 'string' || handler.lambdaArn === '') throw missingField('condition.conditionalCheckFailedHandler.lambdaArn');
  return { strategy: 'Custom', lambdaArn: handler.lambdaArn };
}

type Decision = { action: 'reject' } | { action: 'discard' } | { action: 'retry'; retryMapping: Record<string, unknown> };

/** The documented Custom handler event; its answer decides the write's fate. */
async function askConflictHandler(ctx: DynamoDbCallContext, lambdaArn: string, request: RequestObject, current: Record<string, AttributeValue> | undefined): Promise<Decision> {
  const [parentType = '', field = ''] = ctx.call.field.split('.');
  const event = {
    arguments: ctx.call.arguments,
    requestMapping: request,
    currentValue: current ? typedItem(current) : null,
    resolver: { tableName: ctx.tableName, awsRegion: ctx.region, parentType, field, outputType: ctx.outputTypeOf(ctx.call.field) },
    identity: ctx.call.identity,
  };
  const answer = await ctx.lambda(lambdaArn, event, { invocationType: 'RequestResponse' });
  // UNVERIFIED: how AppSync reports a failing conflict handler; we report it as a Lambda failure.
  if (!answer.ok) throw new DataSourceRequestError('Lambda:Unhandled', `conflict handler ${lambdaArn} failed: ${answer.errorMessage}`);
  const decision = answer.payload as { action?: unknown; retryMapping?: unknown } | null;
  if (decision?.action === 'reject' || decision?.action === 'discard') return { action: decision.action };
  if (decision?.action === 'retry') {
    if (!decision.retryMapping || typeof decision.retryMapping !== 'object') throw malformedRequest(`conflict handler ${lambdaArn} asked to retry without a retryMapping object`);
    return { action: 'retry', retryMapping: decision.retryMapping as Record<string, unknown> };
  }
  throw malformedRequest(`conflict handler ${lambdaArn} must answer {"action": "reject" | "discard" | "retry"}; it answered ${describe(decision)}`);
}
