import type { AttributeValue, CancellationReason, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { isServiceError } from '../../../dynamodb/wire-client.ts';
import { malformedRequest, missingField } from '../errors.ts';
import type { DataSourceOutcome } from '../types.ts';
import { serviceError, type DynamoDbCallContext } from './context.ts';
import { mergeExpressions, readExpression, readOptionalExpression, type Expression } from './expressions.ts';
import { asRequestObject, optionalBoolean, optionalItem, requiredKey, requiredList, type RequestObject } from './request-fields.ts';
import { describe, plainItem } from './typed-values.ts';

/** Items per transaction [D-DDB-transact-*]. */
export const TRANSACTION_LIMITS = { TransactGetItems: 100, TransactWriteItems: 100 } as const;

function transactItems(request: RequestObject, operation: keyof typeof TRANSACTION_LIMITS): RequestObject[] {
  const items = requiredList(request, 'transactItems');
  if (items.length === 0) throw malformedRequest('transactItems must hold at least one request item');
  if (items.length > TRANSACTION_LIMITS[operation]) throw malformedRequest(`${operation} takes at most ${TRANSACTION_LIMITS[operation]} request items; this request has ${items.length}`);
  return items.map((item, i) => asRequestObject(item, `transactItems[${i}]`));
}

function tableOf(item: RequestObject, i: number): string {
  if (item.table === undefined || item.table === null) throw missingField(`transactItems[${i}].table`);
  if (typeof item.table !== 'string') throw malformedRequest(`transactItems[${i}].table must be a table name; got ${describe(item.table)}`);
  return item.table;
}

/** `{items: [item|null…], cancellationReasons: null}`, in request order. */
export async function transactGetItems(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const items = transactItems(request, 'TransactGetItems').map((item, i) => {
    const projection = readOptionalExpression(item.projection, `transactItems[${i}].projection`);
    return {
      Get: {
        TableName: tableOf(item, i),
        Key: requiredKey(item, 'key', `transactItems[${i}].key`),
        ...(projection && { ProjectionExpression: projection.expression }),
        ...(projection && Object.keys(projection.names).length > 0 && { ExpressionAttributeNames: projection.names }),
      },
    };
  });
  try {
    const out = await ctx.client.call('TransactGetItems', { TransactItems: items }, ctx.signal);
    return { result: { items: (out.Responses ?? []).map((r) => (r.Item ? plainItem(r.Item) : null)), cancellationReasons: null } };
  } catch (error) {
    if (!isServiceError(error, 'TransactionCanceledException')) throw error;
    return { result: { items: null, cancellationReasons: cancellationReasons((error.CancellationReasons as CancellationReason[] | undefined) ?? [], items.length) }, error: serviceError(error)! };
  }
}

/** `{keys: [key…], cancellationReasons: null}`; on cancellation `{keys: null, cancellationReasons}` and the error. */
export async function transactWriteItems(ctx: DynamoDbCallContext, request: RequestObject): Promise<DataSourceOutcome> {
  const parsed = transactItems(request, 'TransactWriteItems').map((item, i) => writeItem(item, i));
  try {
    await ctx.client.call('TransactWriteItems', { TransactItems: parsed.map((p) => p.request) }, ctx.signal);
    return { result: { keys: parsed.map((p) => plainItem(p.key)), cancellationReasons: null } };
  } catch (error) {
    if (!isServiceError(error, 'TransactionCanceledException')) throw error;
    return { result: { keys: null, cancellationReasons: cancellationReasons((error.CancellationReasons as CancellationReason[] | undefined) ?? [], parsed.length) }, error: serviceError(error)! };
  }
}

function writeItem(item: RequestObject, i: number): { key: Record<string, AttributeValue>; request: TransactWriteItem } {
  const path = `transactItems[${i}]`;
  const TableName = tableOf(item, i);
  const key = requiredKey(item, 'key', `${path}.key`);
  const condition = readTransactionCondition(item.condition, `${path}.condition`);
  const conditionPart = condition && {
    ConditionExpression: condition.expression,
    // The current item comes back with a failed check unless the request says false [D-DDB-transaction-condition-expressions].
    ReturnValuesOnConditionCheckFailure: condition.returnValues ? ('ALL_OLD' as const) : ('NONE' as const),
  };
  switch (item.operation) {
    case 'PutItem':
      return { key, request: { Put: { TableName, Item: { ...optionalItem(item, 'attributeValues', `${path}.attributeValues`), ...key }, ...conditionPart, ...mergeExpressions([condition], `${path}.condition`) } } };
    case 'UpdateItem': {
      if (item.update === undefined || item.update === null) throw missingField(`${path}.update`);
      const update = readExpression(item.update, `${path}.update`);
      return { key, request: { Update: { TableName, Key: key, UpdateExpression: update.expression, ...conditionPart, ...mergeExpressions([update, condition], `${path}.update/condition`) } } };
    }
    case 'DeleteItem':
      return { key, request: { Delete: { TableName, Key: key, ...conditionPart, ...mergeExpressions([condition], `${path}.condition`) } } };
    case 'ConditionCheck':
      if (!condition) throw missingField(`${path}.condition`);
      return { key, request: { ConditionCheck: { TableName, Key: key, ConditionExpression: condition.expression, ReturnValuesOnConditionCheckFailure: conditionPart!.ReturnValuesOnConditionCheckFailure, ...mergeExpressions([condition], `${path}.condition`) } } };
    case undefined:
    case null:
      throw missingField(`${path}.operation`);
    default:
      throw malformedRequest(`${path}.operation must be PutItem, UpdateItem, DeleteItem or ConditionCheck; got ${describe(item.operation)}`);
  }
}

function readTransactionCondition(raw: unknown, path: string): (Expression & { returnValues: boolean }) | undefined {
  const parsed = readOptionalExpression(raw, path);
  if (!parsed) return undefined;
  return { ...parsed, returnValues: optionalBoolean(parsed.source, 'returnValuesOnConditionCheckFailure', `${path}.returnValuesOnConditionCheckFailure`) ?? true };
}

/**
 * One reason per request item, in request order: `{type: "None", message: "None"}` where
 * nothing failed; a failed check is `{type: "ConditionCheckFailed", message: "The condition
 * check failed.", item}` (the docs' example); other reasons keep DynamoDB's code and message.
 */
function cancellationReasons(reasons: CancellationReason[], count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const reason = reasons[i];
    if (!reason || reason.Code === 'None') return { type: 'None', message: 'None' };
    if (reason.Code === 'ConditionalCheckFailed') {
      return { type: 'ConditionCheckFailed', message: 'The condition check failed.', ...(reason.Item && { item: plainItem(reason.Item) }) };
    }
    return { type: reason.Code ?? 'Unknown', message: reason.Message ?? reason.Code ?? 'Unknown', ...(reason.Item && { item: plainItem(reason.Item) }) };
  });
}
