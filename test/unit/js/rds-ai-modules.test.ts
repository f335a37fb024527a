// `@aws-appsync/utils/rds` and `@aws-appsync/utils/ai`. The AWS-verified RDS statements are in
// the conformance test; the rest of the SQL layout is UNVERIFIED (see modules/rds.ts).
import { describe, expect, it } from 'vitest';
import { evaluateHandler } from '../../../local/appsync/js/index.ts';
import { handler } from './helpers.ts';

const rds = (body: string) => evaluateHandler(handler(body, "import * as rds from '@aws-appsync/utils/rds';\nimport { sql, createMySQLStatement, agg, typeHint } from '@aws-appsync/utils/rds';"), 'request', { arguments: { id: 7, name: "O'Brien" } });

describe('@aws-appsync/utils/rds', () => {
  it('sql`…` passes every interpolated value as a parameter', () => {
    expect(rds('return createMySQLStatement(sql`SELECT * FROM t WHERE id = ${ctx.args.id} AND name = ${ctx.args.name}`);').result).toEqual({
      statements: ['SELECT * FROM t WHERE id = :P0 AND name = :P1'],
      variableMap: { ':P0': 7, ':P1': "O'Brien" },
      variableTypeHintMap: {},
    });
  });

  it('numbers parameters across the two statements of one request', () => {
    const result = rds('return rds.createPgStatement(rds.insert({ table: "t", values: { id: ctx.args.id, name: ctx.args.name }, returning: "*" }), rds.select({ table: "t", where: { id: { eq: ctx.args.id } } }));').result;
    expect(result).toEqual({
      statements: ['INSERT INTO "t" ("id", "name") VALUES (:P0, :P1) RETURNING *', 'SELECT * FROM "t" WHERE "id" = :P2'],
      variableMap: { ':P0': 7, ':P1': "O'Brien", ':P2': 7 },
      variableTypeHintMap: {},
    });
  });

  it('update, aliases, aggregates, joins, group by and the other operators', () => {
    expect(rds('return rds.createMySQLStatement(rds.update({ table: "t", values: { name: "x" }, where: { id: { between: [1, 9] }, name: { beginsWith: "a" } } }));').result).toMatchObject({
      statements: ['UPDATE `t` SET `name` = :P0 WHERE (`id` BETWEEN :P1 AND :P2) AND (`name` LIKE :P3)'],
      variableMap: { ':P0': 'x', ':P1': 1, ':P2': 9, ':P3': 'a%' },
    });
    expect(
      rds('return rds.createPgStatement(rds.select({ table: { p: "persons" }, columns: [{ n: "p.name" }, agg.countDistinct("p.id")], leftJoin: [{ table: "orders", on: { "orders.amount": { gt: 5 } } }], groupBy: ["p.name"], where: { not: [{ deleted: { attributeExists: true } }] } }));').result,
    ).toMatchObject({
      statements: ['SELECT "p"."name" AS "n", COUNT(DISTINCT "p"."id") FROM "persons" AS "p" LEFT JOIN "orders" ON "orders"."amount" > :P0 WHERE NOT ("deleted" IS NOT NULL) GROUP BY "p"."name"'],
    });
    expect(rds('return rds.createPgStatement(rds.select({ table: "t", where: { doc: { eq: typeHint.JSON({ a: 1 }) }, d: { lt: typeHint.DATE("2024-01-01") } } }));').result).toMatchObject({
      variableMap: { ':P0': '{"a":1}', ':P1': '2024-01-01' },
      variableTypeHintMap: { ':P0': 'JSON', ':P1': 'DATE' },
    });
  });

  it('refuses a request of no or three statements and unknown operators', () => {
    expect(rds('return rds.createPgStatement();').error?.message).toMatch(/rds\.createPgStatement: takes one or two statements, not 0/);
    expect(rds('return rds.createPgStatement(rds.select({ table: "t", where: { a: { near: 1 } } }));').error?.message).toMatch(/rds\.select: unknown operator "near" on "a"/);
  });
});

describe('@aws-appsync/utils/ai', () => {
  it('invokeModel and converse add their operation', () => {
    const code = handler('return [invokeModel({ modelId: "m", body: { inputText: "hi" } }), converse({ modelId: "m", messages: [] })];', "import { invokeModel, converse } from '@aws-appsync/utils/ai';");
    expect(evaluateHandler(code, 'request').result).toEqual([
      { operation: 'InvokeModel', modelId: 'm', body: { inputText: 'hi' } },
      { operation: 'Converse', modelId: 'm', messages: [] },
    ]);
  });
});
