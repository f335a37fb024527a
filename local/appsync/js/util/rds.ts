// util.rds.toJsonObject (NPM-U rds-utils.d.ts) and the `toJsonObject` of
// `@aws-appsync/utils/rds`: an RDS Data API result (object or its JSON string) as one array of
// records per statement, each record keyed by column label [AWS-verified LS snapshot
// `rds resolvers toJsonObject`: `[[{…},{…}]]`]. A statement without records (INSERT, UPDATE,
// DELETE) gives an empty array.
import { argumentError } from './arguments.ts';
import { isPlainObject } from '../../../support/objects.ts';

type Field = Record<string, unknown>;

function fieldValue(field: unknown): unknown {
  if (!isPlainObject(field)) return field ?? null;
  if (field.isNull === true) return null;
  for (const key of ['stringValue', 'longValue', 'intValue', 'bigIntValue', 'doubleValue', 'realValue', 'booleanValue', 'bitValue', 'blobValue']) {
    if (field[key] !== undefined) return field[key];
  }
  if (isPlainObject(field.arrayValue)) {
    const array = field.arrayValue;
    for (const key of ['stringValues', 'longValues', 'doubleValues', 'booleanValues']) if (Array.isArray(array[key])) return array[key];
    if (Array.isArray(array.arrayValues)) return array.arrayValues.map((v) => fieldValue({ arrayValue: v }));
  }
  if (Array.isArray(field.arrayValues)) return field.arrayValues.map(fieldValue);
  if (isPlainObject(field.structValue) && Array.isArray(field.structValue.attributes)) return field.structValue.attributes.map(fieldValue);
  return null;
}

export function rdsToJsonObject(member: string, result: unknown): Record<string, unknown>[][] {
  let data = result;
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data);
    } catch {
      throw argumentError(member, 'the serialized SQL result is not JSON');
    }
  }
  if (!isPlainObject(data) || !Array.isArray(data.sqlStatementResults)) {
    throw argumentError(member, 'expected an RDS Data API result with "sqlStatementResults"');
  }
  return data.sqlStatementResults.map((statement) => {
    if (!isPlainObject(statement) || !Array.isArray(statement.records)) return [];
    const columns = Array.isArray(statement.columnMetadata) ? statement.columnMetadata : [];
    return statement.records.map((record) => {
      const row: Record<string, unknown> = {};
      (Array.isArray(record) ? record : []).forEach((field: Field, i: number) => {
        const column = isPlainObject(columns[i]) ? columns[i] : {};
        const name = typeof column.label === 'string' ? column.label : typeof column.name === 'string' ? column.name : String(i);
        row[name] = fieldValue(field);
      });
      return row;
    });
  });
}

export function createRdsUtils() {
  return { toJsonObject: (result: unknown) => rdsToJsonObject('util.rds.toJsonObject', result) };
}
