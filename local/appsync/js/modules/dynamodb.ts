// `@aws-appsync/utils/dynamodb` (D-MOD, NPM-U dynamodb-helpers.d.ts): request builders that take
// plain values and produce the typed DynamoDB requests of §6.
//
// Recorded behaviour reproduced here:
// - get/put/remove/scan outputs and the operations.* marker objects [AWS-verified LS snapshot];
// - update: one `SET a, b, …` list then one `REMOVE …` list; names `#expName_<n>` numbered per
//   attribute in the order the clauses come out, values `:expValue_<n>` numbered per value;
//   a bare value, null (`{NULL:null}`, it does not REMOVE) and add/replace are `#n = :v`
//   [AWS-verified LS "update add"/"update append", FB editMyProfile]; increment/decrement are
//   `#n = #n ± :v` (by defaults to 1), append/prepend use list_append.
// - condition / filter / key condition: the util.transform rendering (`#f`, `:f_op`) as an
//   expression object; one that binds no value has no `expressionValues`.
// - projection: every path segment gets its own `#expName_<n>` alias, shared when repeated.
// UNVERIFIED (LS implementation, not recordings): remove() → `REMOVE`, updateListItem →
// `#n[i] = :v`, the projection and condition layouts. A condition that is not a filter object
// (e.g. a raw `{expression}`) is refused, as AWS refuses it (FB resolvers/editMyProfile.js).
import { argumentError, describe, requireArray, requireObject } from '../util/arguments.ts';
import { isPlainObject } from '../../../support/objects.ts';
import { toBinarySet, toDynamoDB, toMapValues, toNumberSet, toStringSet } from '../util/dynamodb.ts';
import { renderDynamoDBExpression } from '../util/transform/dynamodb-expression.ts';
import { deepFreeze } from '../util/index.ts';

const OPERATION_TYPES = {
  add: 'OPERATION_ADD',
  remove: 'OPERATION_REMOVE',
  replace: 'OPERATION_REPLACE',
  increment: 'OPERATION_INCREMENT',
  decrement: 'OPERATION_DECREMENT',
  append: 'OPERATION_APPEND',
  prepend: 'OPERATION_PREPEND',
  updateListItem: 'OPERATION_UPDATE_LIST_ITEM',
} as const;

type Operation = { type: string; value?: unknown; by?: unknown; items?: unknown; index?: unknown };

function isOperation(value: unknown): value is Operation {
  return isPlainObject(value) && typeof value.type === 'string' && value.type.startsWith('OPERATION_');
}

function withOptional<T extends Record<string, unknown>>(request: T, optional: Record<string, unknown>): T {
  for (const [field, value] of Object.entries(optional)) {
    if (value !== undefined && value !== null) (request as Record<string, unknown>)[field] = value;
  }
  return request;
}

function key(member: string, value: unknown): Record<string, unknown> {
  return toMapValues(requireObject(member, value, 'key'));
}

function expression(member: string, what: string, filter: unknown) {
  if (filter === undefined || filter === null) return undefined;
  const rendered = renderDynamoDBExpression(filter);
  if (!rendered) {
    throw argumentError(member, `${what} must be a filter object such as {"id": {"attributeExists": true}} — not ${describe(filter)}${isPlainObject(filter) && 'expression' in filter ? ' (a raw {expression} is not accepted by the helper: return it in the request yourself)' : ''}`);
  }
  const out: Record<string, unknown> = { expression: rendered.expression, expressionNames: rendered.expressionNames };
  if (Object.keys(rendered.expressionValues).length > 0) out.expressionValues = rendered.expressionValues;
  return out;
}

function projection(member: string, paths: unknown) {
  if (paths === undefined || paths === null) return undefined;
  const list = requireArray(member, paths, 'projection');
  if (list.length === 0) return undefined;
  const names = new Map<string, string>();
  const alias = (segment: string) => {
    if (!names.has(segment)) names.set(segment, `#expName_${names.size + 1}`);
    return names.get(segment)!;
  };
  const text = list.map((path) => String(path).split('.').map(alias).join('.')).join(', ');
  return { expression: text, expressionNames: Object.fromEntries([...names].map(([segment, name]) => [name, segment])) };
}

function updateExpression(member: string, update: unknown) {
  const entries = Object.entries(requireObject(member, update, 'update'));
  const sets: { field: string; render: (name: string, value: (v: unknown) => string) => string }[] = [];
  const removes: string[] = [];
  const step = (by: unknown) => (by === undefined || by === null ? 1 : by);
  for (const [field, op] of entries) {
    if (Array.isArray(op) && op.length > 0 && op.every((o) => isOperation(o) && o.type === OPERATION_TYPES.updateListItem)) {
      for (const item of op as Operation[]) sets.push({ field, render: (n, v) => `${n}[${Number(item.index)}] = ${v(item.value)}` });
      continue;
    }
    if (!isOperation(op)) {
      sets.push({ field, render: (n, v) => `${n} = ${v(op)}` });
      continue;
    }
    switch (op.type) {
      case OPERATION_TYPES.add:
      case OPERATION_TYPES.replace:
        sets.push({ field, render: (n, v) => `${n} = ${v(op.value)}` });
        break;
      case OPERATION_TYPES.increment:
        sets.push({ field, render: (n, v) => `${n} = ${n} + ${v(step(op.by))}` });
        break;
      case OPERATION_TYPES.decrement:
        sets.push({ field, render: (n, v) => `${n} = ${n} - ${v(step(op.by))}` });
        break;
      case OPERATION_TYPES.append:
        sets.push({ field, render: (n, v) => `${n} = list_append(${n}, ${v(op.items)})` });
        break;
      case OPERATION_TYPES.prepend:
        sets.push({ field, render: (n, v) => `${n} = list_append(${v(op.items)}, ${n})` });
        break;
      case OPERATION_TYPES.remove:
        removes.push(field);
        break;
      case OPERATION_TYPES.updateListItem:
        sets.push({ field, render: (n, v) => `${n}[${Number(op.index)}] = ${v(op.value)}` });
        break;
      default:
        throw argumentError(member, `unknown update operation ${JSON.stringify(op.type)} for "${field}"`);
    }
  }
  const names = new Map<string, string>();
  const nameOf = (field: string) => {
    if (!names.has(field)) names.set(field, `#expName_${names.size + 1}`);
    return names.get(field)!;
  };
  const expressionValues: Record<string, unknown> = {};
  const valueOf = (v: unknown) => {
    const placeholder = `:expValue_${Object.keys(expressionValues).length + 1}`;
    expressionValues[placeholder] = toDynamoDB(v === undefined ? null : v);
    return placeholder;
  };
  const clauses: string[] = [];
  if (sets.length > 0) clauses.push(`SET ${sets.map(({ field, render }) => render(nameOf(field), valueOf)).join(', ')}`);
  if (removes.length > 0) clauses.push(`REMOVE ${removes.map(nameOf).join(', ')}`);
  return {
    expression: clauses.join(' '),
    expressionNames: Object.fromEntries([...names].map(([field, name]) => [name, field])),
    expressionValues,
  };
}

function payloadOf(member: string, payload: unknown): Record<string, unknown> {
  return requireObject(member, payload, 'the input');
}

function writeOptions(member: string, p: Record<string, unknown>) {
  return {
    condition: expression(member, 'condition', p.condition),
    customPartitionKey: p.customPartitionKey,
    populateIndexFields: p.populateIndexFields,
    _version: p._version,
  };
}

export function get(payload: unknown) {
  const p = payloadOf('dynamodb.get', payload);
  return withOptional({ operation: 'GetItem', key: key('dynamodb.get', p.key) }, { consistentRead: p.consistentRead, projection: projection('dynamodb.get', p.projection) });
}

export function put(payload: unknown) {
  const p = payloadOf('dynamodb.put', payload);
  return withOptional(
    { operation: 'PutItem', key: key('dynamodb.put', p.key), attributeValues: toMapValues(requireObject('dynamodb.put', p.item ?? {}, 'item')) },
    writeOptions('dynamodb.put', p),
  );
}

export function remove(payload: unknown) {
  const p = payloadOf('dynamodb.remove', payload);
  return withOptional({ operation: 'DeleteItem', key: key('dynamodb.remove', p.key) }, writeOptions('dynamodb.remove', p));
}

export function update(payload: unknown) {
  const p = payloadOf('dynamodb.update', payload);
  return withOptional({ operation: 'UpdateItem', key: key('dynamodb.update', p.key), update: updateExpression('dynamodb.update', p.update) }, writeOptions('dynamodb.update', p));
}

function readOptions(member: string, p: Record<string, unknown>) {
  return {
    index: p.index,
    limit: p.limit,
    nextToken: p.nextToken,
    consistentRead: p.consistentRead,
    scanIndexForward: p.scanIndexForward,
    select: p.select,
    segment: p.segment,
    totalSegments: p.totalSegments,
    filter: expression(member, 'filter', p.filter),
    projection: projection(member, p.projection),
  };
}

export function query(payload: unknown) {
  const p = payloadOf('dynamodb.query', payload);
  if (!isPlainObject(p.query)) throw argumentError('dynamodb.query', `"query" must be a key condition such as {"id": {"eq": "…"}}, not ${describe(p.query)}`);
  return withOptional({ operation: 'Query', query: expression('dynamodb.query', 'query', p.query) }, readOptions('dynamodb.query', p));
}

export function scan(payload: unknown = {}) {
  const p = payloadOf('dynamodb.scan', payload);
  const { scanIndexForward: _ignored, ...options } = readOptions('dynamodb.scan', p);
  return withOptional({ operation: 'Scan' }, options);
}

export function sync(payload: unknown = {}) {
  const p = payloadOf('dynamodb.sync', payload);
  return withOptional(
    { operation: 'Sync' },
    { basePartitionKey: p.basePartitionKey, deltaIndexName: p.deltaIndexName, limit: p.limit, nextToken: p.nextToken, lastSync: p.lastSync, filter: expression('dynamodb.sync', 'filter', p.filter) },
  );
}

function tablesOf(member: string, payload: unknown): [string, unknown][] {
  return Object.entries(requireObject(member, payloadOf(member, payload).tables, 'tables'));
}

export function batchGet(payload: unknown) {
  const tables: Record<string, unknown> = {};
  for (const [table, request] of tablesOf('dynamodb.batchGet', payload)) {
    const r = requireObject('dynamodb.batchGet', request, `tables.${table}`);
    tables[table] = withOptional(
      { keys: requireArray('dynamodb.batchGet', r.keys, `tables.${table}.keys`).map((k) => key('dynamodb.batchGet', k)) },
      { consistentRead: r.consistentRead, projection: projection('dynamodb.batchGet', r.projection) },
    );
  }
  return { operation: 'BatchGetItem', tables };
}

export function batchPut(payload: unknown) {
  const tables: Record<string, unknown> = {};
  for (const [table, items] of tablesOf('dynamodb.batchPut', payload)) {
    tables[table] = requireArray('dynamodb.batchPut', items, `tables.${table}`).map((item) => toMapValues(requireObject('dynamodb.batchPut', item, 'an item')));
  }
  return { operation: 'BatchPutItem', tables };
}

export function batchDelete(payload: unknown) {
  const tables: Record<string, unknown> = {};
  for (const [table, keys] of tablesOf('dynamodb.batchDelete', payload)) {
    tables[table] = requireArray('dynamodb.batchDelete', keys, `tables.${table}`).map((k) => key('dynamodb.batchDelete', k));
  }
  return { operation: 'BatchDeleteItem', tables };
}

function itemsOf(member: string, payload: unknown): Record<string, unknown>[] {
  return requireArray(member, payloadOf(member, payload).items, 'items').map((item, i) => requireObject(member, item, `items[${i}]`));
}

export function transactGet(payload: unknown) {
  const transactItems = itemsOf('dynamodb.transactGet', payload).map((item) =>
    withOptional({ table: item.table, key: key('dynamodb.transactGet', item.key) }, { projection: projection('dynamodb.transactGet', item.projection) }),
  );
  return { operation: 'TransactGetItems', transactItems };
}

export function transactWrite(payload: unknown) {
  const member = 'dynamodb.transactWrite';
  const transactItems = itemsOf(member, payload).map((item) => {
    const condition = (c: unknown) => ({ condition: expression(member, 'condition', c) });
    if (isPlainObject(item.putItem)) {
      const w = item.putItem;
      return withOptional(
        { table: w.table, operation: 'PutItem', key: key(member, w.key), attributeValues: toMapValues(requireObject(member, w.item ?? {}, 'item')) },
        condition(w.condition),
      );
    }
    if (isPlainObject(item.updateItem)) {
      const w = item.updateItem;
      return withOptional({ table: w.table, operation: 'UpdateItem', key: key(member, w.key), update: updateExpression(member, w.update) }, condition(w.condition));
    }
    if (isPlainObject(item.deleteItem)) {
      const w = item.deleteItem;
      return withOptional({ table: w.table, operation: 'DeleteItem', key: key(member, w.key) }, condition(w.condition));
    }
    if (isPlainObject(item.conditionCheck)) {
      const w = item.conditionCheck;
      return withOptional({ table: w.table, operation: 'ConditionCheck', key: key(member, w.key) }, condition(w.condition));
    }
    throw argumentError(member, `each item needs one of putItem, updateItem, deleteItem or conditionCheck, not ${Object.keys(item).join(', ') || 'nothing'}`);
  });
  return { operation: 'TransactWriteItems', transactItems };
}

export const operations = {
  add: (value: unknown) => ({ type: OPERATION_TYPES.add, value }),
  remove: () => ({ type: OPERATION_TYPES.remove }),
  replace: (value: unknown) => ({ type: OPERATION_TYPES.replace, value }),
  increment: (by?: unknown) => ({ type: OPERATION_TYPES.increment, by }),
  decrement: (by?: unknown) => ({ type: OPERATION_TYPES.decrement, by }),
  append: (items: unknown) => ({ type: OPERATION_TYPES.append, items }),
  prepend: (items: unknown) => ({ type: OPERATION_TYPES.prepend, items }),
  updateListItem: (value: unknown, index: unknown) => ({ type: OPERATION_TYPES.updateListItem, value, index }),
};

export function createDynamodbModule() {
  return deepFreeze({
    get,
    put,
    remove,
    update,
    query,
    scan,
    sync,
    batchGet,
    batchPut,
    batchDelete,
    transactGet,
    transactWrite,
    toStringSet: (list: unknown) => toStringSet('dynamodb.toStringSet', list),
    toNumberSet: (list: unknown) => toNumberSet('dynamodb.toNumberSet', list),
    toBinarySet: (list: unknown) => toBinarySet('dynamodb.toBinarySet', list),
    operations,
  });
}
