// `@aws-appsync/utils/rds` (NPM-U rds-helpers.d.ts, D-RDS resolver-reference-rds-js): SQL
// statements for the RDS Data API with every dynamic value passed as a parameter `:P<n>`.
//
// [AWS-verified LS snapshots `rds resolvers`]: identifiers are quoted (`"x"` for PostgreSQL),
// a lone condition is written bare (`WHERE "id" = :P0`) and the members of and/or are wrapped
// (`("name" = :P0) OR ("id" > :P1)`), LIMIT and OFFSET are parameters, parameters are numbered
// in order of appearance, a type hint puts its value in `variableMap` and its type in
// `variableTypeHintMap`, and the request is `{statements, variableMap, variableTypeHintMap}`.
// UNVERIFIED (no recording): `!=` for ne, LIKE patterns for beginsWith/contains, IS [NOT] NULL
// for attributeExists, aliases (`"col" AS "alias"`), aggregates, joins, INSERT/UPDATE layout,
// MySQL backquotes, numbering continued across the two statements of one request.
import { argumentError, describe, requireArray, requireObject, requireString } from '../util/arguments.ts';
import { isPlainObject } from '../../../support/objects.ts';
import { deepFreeze } from '../util/index.ts';
import { rdsToJsonObject } from '../util/rds.ts';

type Dialect = 'pg' | 'mysql';

class Params {
  readonly variableMap: Record<string, unknown> = {};
  readonly variableTypeHintMap: Record<string, string> = {};
  private n = 0;

  add(value: unknown): string {
    const name = `:P${this.n++}`;
    if (value instanceof TypeHint) {
      this.variableMap[name] = value.value;
      this.variableTypeHintMap[name] = value.type;
    } else this.variableMap[name] = value === undefined ? null : value;
    return name;
  }
}

class TypeHint {
  readonly type: string;
  readonly value: unknown;
  constructor(type: string, value: unknown) {
    this.type = type;
    this.value = value;
  }
  toJSON() {
    return { type: this.type, value: this.value };
  }
}

class Aggregate {
  readonly fn: string;
  readonly column: string;
  readonly distinct: boolean;
  constructor(fn: string, column: string, distinct: boolean) {
    this.fn = fn;
    this.column = column;
    this.distinct = distinct;
  }
}

/** A statement renders itself once it knows its dialect and the request's parameters. */
class Statement {
  readonly render: (dialect: Dialect, params: Params) => string;
  constructor(render: (dialect: Dialect, params: Params) => string) {
    this.render = render;
  }
}

function quote(dialect: Dialect, name: string): string {
  const q = dialect === 'pg' ? '"' : '`';
  return name
    .split('.')
    .map((part) => (part === '*' ? part : `${q}${part.split(q).join(q + q)}${q}`))
    .join('.');
}

function tableOf(member: string, payload: Record<string, unknown>, dialect: Dialect, params: Params): string {
  const source = payload.table ?? payload.from;
  if (typeof source === 'string') return quote(dialect, source);
  if (source instanceof Statement) return `(${source.render(dialect, params)})`;
  if (isPlainObject(source)) return aliases(member, source, dialect, params);
  throw argumentError(member, `"table" must name a table, not ${describe(source)}`);
}

function aliases(member: string, object: Record<string, unknown>, dialect: Dialect, params: Params): string {
  return Object.entries(object)
    .map(([alias, target]) => {
      if (typeof target === 'string') return `${quote(dialect, target)} AS ${quote(dialect, alias)}`;
      if (target instanceof Statement) return `(${target.render(dialect, params)}) AS ${quote(dialect, alias)}`;
      throw argumentError(member, `the alias "${alias}" must name a column, table or statement`);
    })
    .join(', ');
}

function columnList(member: string, columns: unknown, dialect: Dialect, params: Params): string {
  if (columns === undefined || columns === '*') return '*';
  return requireArray(member, columns, 'columns')
    .map((column) => {
      if (typeof column === 'string') return quote(dialect, column);
      if (column instanceof Aggregate) return aggregate(column, dialect);
      if (isPlainObject(column)) return aliases(member, column, dialect, params);
      throw argumentError(member, `a column must be a name, an alias object or an aggregate, not ${describe(column)}`);
    })
    .join(', ');
}

function aggregate(a: Aggregate, dialect: Dialect): string {
  return `${a.fn}(${a.distinct ? 'DISTINCT ' : ''}${quote(dialect, a.column)})`;
}

const COMPARISONS: Record<string, string> = { eq: '=', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const AGGREGATES = ['max', 'min', 'avg', 'sum', 'count'];

function conditionTerms(member: string, where: unknown, dialect: Dialect, params: Params): string[] {
  if (!isPlainObject(where)) throw argumentError(member, `a condition must be an object such as {"id": {"eq": 1}}, not ${describe(where)}`);
  const terms: string[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (key === 'and' || key === 'or') {
      const members = requireArray(member, value, key).map((m) => wrapAll(conditionTerms(member, m, dialect, params), 'AND'));
      terms.push(members.length === 1 ? members[0]! : members.map((m) => `(${m})`).join(` ${key.toUpperCase()} `));
    } else if (key === 'not') {
      const members = (Array.isArray(value) ? value : [value]).map((m) => wrapAll(conditionTerms(member, m, dialect, params), 'AND'));
      terms.push(`NOT (${members.join(' AND ')})`);
    } else terms.push(...fieldTerms(member, key, quote(dialect, key), value, dialect, params));
  }
  return terms;
}

function wrapAll(terms: string[], joiner: string): string {
  return terms.length === 1 ? terms[0]! : terms.map((t) => `(${t})`).join(` ${joiner} `);
}

function fieldTerms(member: string, field: string, target: string, operators: unknown, dialect: Dialect, params: Params): string[] {
  const ops = requireObject(member, operators, `the condition on "${field}"`);
  return Object.entries(ops).flatMap(([op, value]): string[] => {
    if (COMPARISONS[op]) return [`${target} ${COMPARISONS[op]} ${params.add(value)}`];
    switch (op) {
      case 'between': {
        const range = requireArray(member, value, `between on "${field}"`);
        if (range.length !== 2) throw argumentError(member, `between on "${field}" needs [from, to]`);
        return [`${target} BETWEEN ${params.add(range[0])} AND ${params.add(range[1])}`];
      }
      case 'beginsWith':
        return [`${target} LIKE ${params.add(`${requireString(member, value, `beginsWith on "${field}"`)}%`)}`];
      case 'contains':
        return [`${target} LIKE ${params.add(`%${requireString(member, value, `contains on "${field}"`)}%`)}`];
      case 'attributeExists':
        return [`${target} IS ${value === false ? '' : 'NOT '}NULL`];
      case 'size':
        return fieldTerms(member, field, `LENGTH(${target})`, value, dialect, params);
      default: {
        const base = op.replace(/Distinct$/, '');
        if (AGGREGATES.includes(base)) {
          return fieldTerms(member, field, aggregate(new Aggregate(base.toUpperCase(), field, op.endsWith('Distinct')), dialect), value, dialect, params);
        }
        throw argumentError(member, `unknown operator "${op}" on "${field}"`);
      }
    }
  });
}

function whereClause(member: string, where: unknown, dialect: Dialect, params: Params): string {
  if (where === undefined || where === null) return '';
  if (where instanceof Statement) return ` WHERE ${where.render(dialect, params)}`;
  const terms = conditionTerms(member, where, dialect, params);
  return terms.length === 0 ? '' : ` WHERE ${wrapAll(terms, 'AND')}`;
}

function returningClause(member: string, returning: unknown, dialect: Dialect, params: Params): string {
  if (returning === undefined || returning === null) return '';
  return ` RETURNING ${columnList(member, returning, dialect, params)}`;
}

const JOINS: Record<string, string> = {
  join: 'JOIN',
  innerJoin: 'INNER JOIN',
  leftJoin: 'LEFT JOIN',
  leftOuterJoin: 'LEFT OUTER JOIN',
  rightJoin: 'RIGHT JOIN',
  rightOuterJoin: 'RIGHT OUTER JOIN',
  fullOuterJoin: 'FULL OUTER JOIN',
  crossJoin: 'CROSS JOIN',
  joinNatural: 'NATURAL JOIN',
  innerJoinNatural: 'NATURAL INNER JOIN',
  leftJoinNatural: 'NATURAL LEFT JOIN',
  leftOuterJoinNatural: 'NATURAL LEFT OUTER JOIN',
  rightJoinNatural: 'NATURAL RIGHT JOIN',
  rightOuterJoinNatural: 'NATURAL RIGHT OUTER JOIN',
  fullOuterJoinNatural: 'NATURAL FULL OUTER JOIN',
};

function joinClauses(member: string, p: Record<string, unknown>, dialect: Dialect, params: Params): string {
  let out = '';
  for (const [key, keyword] of Object.entries(JOINS)) {
    if (p[key] === undefined) continue;
    for (const join of requireArray(member, p[key], key)) {
      const j = requireObject(member, join, key);
      out += ` ${keyword} ${tableOf(member, j, dialect, params)}`;
      if (j.using !== undefined) out += ` USING (${columnList(member, j.using, dialect, params)})`;
      else if (j.on instanceof Statement) out += ` ON ${j.on.render(dialect, params)}`;
      else if (j.on !== undefined) out += ` ON ${wrapAll(conditionTerms(member, j.on, dialect, params), 'AND')}`;
    }
  }
  return out;
}

export function select(payload: unknown): Statement {
  const member = 'rds.select';
  const p = requireObject(member, payload, 'the select input');
  return new Statement((dialect, params) => {
    let sql = `SELECT ${columnList(member, p.columns, dialect, params)} FROM ${tableOf(member, p, dialect, params)}`;
    sql += joinClauses(member, p, dialect, params);
    sql += whereClause(member, p.where, dialect, params);
    if (p.groupBy !== undefined) sql += ` GROUP BY ${requireArray(member, p.groupBy, 'groupBy').map((g) => (typeof g === 'number' ? String(g) : quote(dialect, String(g)))).join(', ')}`;
    if (p.having !== undefined) sql += ` HAVING ${wrapAll(conditionTerms(member, p.having, dialect, params), 'AND')}`;
    if (p.orderBy !== undefined) {
      const order = requireArray(member, p.orderBy, 'orderBy').map((o) => {
        const entry = requireObject(member, o, 'an orderBy entry');
        const dir = typeof entry.dir === 'string' ? entry.dir.toUpperCase() : 'ASC';
        if (dir !== 'ASC' && dir !== 'DESC') throw argumentError(member, `orderBy dir must be ASC or DESC, not ${describe(entry.dir)}`);
        return `${quote(dialect, requireString(member, entry.column, 'orderBy column'))} ${dir}`;
      });
      sql += ` ORDER BY ${order.join(', ')}`;
    }
    if (p.limit !== undefined) sql += ` LIMIT ${params.add(p.limit)}`;
    if (p.offset !== undefined) sql += ` OFFSET ${params.add(p.offset)}`;
    return sql;
  });
}

export function insert(payload: unknown): Statement {
  const member = 'rds.insert';
  const p = requireObject(member, payload, 'the insert input');
  const values = requireObject(member, p.values, 'values');
  return new Statement((dialect, params) => {
    const columns = Object.keys(values).map((c) => quote(dialect, c));
    const placeholders = Object.values(values).map((v) => params.add(v));
    return `INSERT INTO ${tableOf(member, p, dialect, params)} (${columns.join(', ')}) VALUES (${placeholders.join(', ')})${returningClause(member, p.returning, dialect, params)}`;
  });
}

export function update(payload: unknown): Statement {
  const member = 'rds.update';
  const p = requireObject(member, payload, 'the update input');
  const values = requireObject(member, p.values, 'values');
  return new Statement((dialect, params) => {
    const table = tableOf(member, p, dialect, params);
    const sets = Object.entries(values).map(([c, v]) => `${quote(dialect, c)} = ${params.add(v)}`);
    return `UPDATE ${table} SET ${sets.join(', ')}${whereClause(member, p.where, dialect, params)}${returningClause(member, p.returning, dialect, params)}`;
  });
}

export function remove(payload: unknown): Statement {
  const member = 'rds.remove';
  const p = requireObject(member, payload, 'the remove input');
  return new Statement(
    (dialect, params) => `DELETE FROM ${tableOf(member, p, dialect, params)}${whereClause(member, p.where, dialect, params)}${returningClause(member, p.returning, dialect, params)}`,
  );
}

export function sql(strings: unknown, ...values: unknown[]): Statement {
  const parts = requireArray('rds.sql', strings, 'the template strings') as string[];
  return new Statement((dialect, params) => parts.reduce((out, part, i) => out + part + (i < values.length ? (values[i] instanceof Statement ? (values[i] as Statement).render(dialect, params) : params.add(values[i])) : ''), ''));
}

function createStatement(member: string, dialect: Dialect, statements: unknown[]) {
  const given = statements.filter((s) => s !== undefined && s !== null);
  if (given.length === 0 || given.length > 2) throw argumentError(member, `takes one or two statements, not ${given.length}`);
  const params = new Params();
  const texts = given.map((s) => {
    if (typeof s === 'string') return s;
    if (s instanceof Statement) return s.render(dialect, params);
    throw argumentError(member, `a statement must be a string or a value of sql\`…\`/select/insert/update/remove, not ${describe(s)}`);
  });
  return { statements: texts, variableMap: params.variableMap, variableTypeHintMap: params.variableTypeHintMap };
}

const typeHint = {
  DECIMAL: (value: unknown) => new TypeHint('DECIMAL', value),
  JSON: (value: unknown) => new TypeHint('JSON', typeof value === 'string' ? value : JSON.stringify(value)),
  TIMESTAMP: (value: unknown) => new TypeHint('TIMESTAMP', value),
  TIME: (value: unknown) => new TypeHint('TIME', value),
  UUID: (value: unknown) => new TypeHint('UUID', value),
  DATE: (value: unknown) => new TypeHint('DATE', value),
};

const agg = Object.fromEntries(
  AGGREGATES.flatMap((fn) => [
    [fn, (column: unknown) => new Aggregate(fn.toUpperCase(), requireString(`rds.agg.${fn}`, column, 'the column'), false)],
    [`${fn}Distinct`, (column: unknown) => new Aggregate(fn.toUpperCase(), requireString(`rds.agg.${fn}Distinct`, column, 'the column'), true)],
  ]),
);

export function createRdsModule() {
  return deepFreeze({
    typeHint,
    agg,
    select,
    insert,
    update,
    remove,
    sql,
    createPgStatement: (s1: unknown, s2?: unknown) => createStatement('rds.createPgStatement', 'pg', [s1, s2]),
    createMySQLStatement: (s1: unknown, s2?: unknown) => createStatement('rds.createMySQLStatement', 'mysql', [s1, s2]),
    toJsonObject: (result: unknown) => rdsToJsonObject('rds.toJsonObject', result),
  });
}
