// Every [AWS-verified] example of docs/reference/appsync-js-runtime.md, run through the
// offline EvaluateCode and compared byte for byte with the recorded output. Each test is named
// after its source key: LS = localstack/appsync-utils snapshots recorded against AWS EvaluateCode
// (index.test.js.snap, resolvers.test.js.snap), FB = eineder/fitter-backend tests that assert on
// real EvaluateCode output, DOC = the EvaluateCode example of the AWS docs (API-EVAL / D-TEST).
//
// Where a recording is a Jest snapshot (keys sorted by Jest), the expected text keeps the key
// order the reference writes (`operation` first) and the evaluationResult string is compared
// exactly; the parsed value is also compared with the snapshot's structure.
import { describe, expect, it } from 'vitest';
import { evaluateCode } from '../../local/appsync/js/index.ts';

const RUNTIME = { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' } as const;

/** LS `__tests__/helpers.js`: the expression under test is returned by a request handler. */
function lsEvaluate(expression: string, imports = "import { util } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';") {
  const code = `${imports}\n\nexport function request(ctx) {\n  return ${expression};\n}\n\nexport function response(ctx) {\n}\n`;
  return evaluateCode({ code, context: '{}', function: 'request', runtime: RUNTIME });
}

function expectResult(response: ReturnType<typeof evaluateCode>, exact: string) {
  expect(response.error).toBeUndefined();
  expect(response.evaluationResult).toBe(exact);
}

describe('LS index.test.js.snap: dynamodb helpers (util.dynamodb)', () => {
  it('LS dynamodb helpers toDynamoDB string 1', () => expectResult(lsEvaluate('util.dynamodb.toDynamoDB("test")'), '{"S":"test"}'));
  it('LS dynamodb helpers toDynamoDB number 1', () => expectResult(lsEvaluate('util.dynamodb.toDynamoDB(12345)'), '{"N":12345}'));
  it('LS dynamodb helpers toDynamoDB boolean 1', () => expectResult(lsEvaluate('util.dynamodb.toDynamoDB(true)'), '{"BOOL":true}'));
  it('LS dynamodb helpers toString 1', () => expectResult(lsEvaluate('util.dynamodb.toString("test")'), '{"S":"test"}'));
  it('LS dynamodb helpers toStringSet 1', () => expectResult(lsEvaluate('util.dynamodb.toStringSet(["foo", "bar", "baz"])'), '{"SS":["foo","bar","baz"]}'));
  it('LS dynamodb helpers toNumber 1', () => expectResult(lsEvaluate('util.dynamodb.toNumber(12345)'), '{"N":12345}'));
  it('LS dynamodb helpers toNumberSet 1', () => expectResult(lsEvaluate('util.dynamodb.toNumberSet([1, 23, 4.56])'), '{"NS":[1,23,4.56]}'));
  it('LS dynamodb helpers toBinary 1', () => expectResult(lsEvaluate('util.dynamodb.toBinary("foo")'), '{"B":"foo"}'));
  it('LS dynamodb helpers toBinarySet 1', () => expectResult(lsEvaluate('util.dynamodb.toBinarySet(["foo", "bar", "baz"])'), '{"BS":["foo","bar","baz"]}'));
  it('LS dynamodb helpers toBoolean 1', () => expectResult(lsEvaluate('util.dynamodb.toBoolean(true)'), '{"BOOL":true}'));
  it('LS dynamodb helpers toNull 1', () => expectResult(lsEvaluate('util.dynamodb.toNull()'), '{"NULL":null}'));
  it('LS dynamodb helpers toList 1', () =>
    expectResult(lsEvaluate('util.dynamodb.toList(["foo", 123, {bar: "baz" }])'), '{"L":[{"S":"foo"},{"N":123},{"M":{"bar":{"S":"baz"}}}]}'));
  it('LS dynamodb helpers toMap 1', () =>
    expectResult(lsEvaluate('util.dynamodb.toMap({ "foo": "bar", "baz": 1234, "beep": ["boop"] })'), '{"M":{"foo":{"S":"bar"},"baz":{"N":1234},"beep":{"L":[{"S":"boop"}]}}}'));
  it('LS dynamodb helpers toMapValues 1', () =>
    expectResult(lsEvaluate('util.dynamodb.toMapValues({ "foo": "bar", "baz": 1234, "beep": ["boop"] })'), '{"foo":{"S":"bar"},"baz":{"N":1234},"beep":{"L":[{"S":"boop"}]}}'));
  it('LS dynamodb helpers s3 objects three parameter function 1', () =>
    expectResult(lsEvaluate('util.dynamodb.toS3Object("foo", "bar", "baz")'), JSON.stringify({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz"}}' })));
  it('LS dynamodb helpers s3 objects four parameter function 1', () =>
    expectResult(lsEvaluate('util.dynamodb.toS3Object("foo", "bar", "baz", "beep")'), JSON.stringify({ S: '{"s3":{"key":"foo","bucket":"bar","region":"baz","version":"beep"}}' })));
});

describe('LS index.test.js.snap: DynamoDB module functions (@aws-appsync/utils/dynamodb)', () => {
  it('LS DynamoDB module functions get 1', () => expectResult(lsEvaluate('ddb.get({ key: { id: "id" }})'), '{"operation":"GetItem","key":{"id":{"S":"id"}}}'));
  it('LS DynamoDB module functions put 1', () =>
    expectResult(lsEvaluate('ddb.put({ key: { id: "abc" }, item: { value: 10 } })'), '{"operation":"PutItem","key":{"id":{"S":"abc"}},"attributeValues":{"value":{"N":10}}}'));
  it('LS DynamoDB module functions remove 1', () => expectResult(lsEvaluate('ddb.remove({ key: { id: "test" } })'), '{"operation":"DeleteItem","key":{"id":{"S":"test"}}}'));
  it('LS DynamoDB module functions scan 1', () => expectResult(lsEvaluate('ddb.scan({ limit: 10, nextToken: "abc" })'), '{"operation":"Scan","limit":10,"nextToken":"abc"}'));
  it('LS DynamoDB module functions update add 1', () =>
    expectResult(
      lsEvaluate('ddb.update({ key: { id: "test" }, update: { age: ddb.operations.add(10) } })'),
      '{"operation":"UpdateItem","key":{"id":{"S":"test"}},"update":{"expression":"SET #expName_1 = :expValue_1","expressionNames":{"#expName_1":"age"},"expressionValues":{":expValue_1":{"N":10}}}}',
    ));
  it('LS DynamoDB module functions update append 1', () =>
    expectResult(
      lsEvaluate('ddb.update({ key: { id: "test" }, update: { values: ddb.operations.append([1, 2, 3]) } })'),
      '{"operation":"UpdateItem","key":{"id":{"S":"test"}},"update":{"expression":"SET #expName_1 = list_append(#expName_1, :expValue_1)","expressionNames":{"#expName_1":"values"},"expressionValues":{":expValue_1":{"L":[{"N":1},{"N":2},{"N":3}]}}}}',
    ));
  // The other rows of the reference's §5.3 table ("How update() builds expressions").
  const updateOf = (operation: string) => lsEvaluate(`ddb.update({ key: { id: "test" }, update: { n: ${operation} } })`);
  const updateText = (expression: string, value: string) =>
    `{"operation":"UpdateItem","key":{"id":{"S":"test"}},"update":{"expression":"${expression}","expressionNames":{"#expName_1":"n"},"expressionValues":{":expValue_1":${value}}}}`;
  it('docs/reference/appsync-js-runtime.md §5.3 update: plain value → SET', () => expectResult(updateOf('"v"'), updateText('SET #expName_1 = :expValue_1', '{"S":"v"}')));
  it('docs/reference/appsync-js-runtime.md §5.3 update: null → SET with {NULL:null}', () => expectResult(updateOf('null'), updateText('SET #expName_1 = :expValue_1', '{"NULL":null}')));
  it('docs/reference/appsync-js-runtime.md §5.3 update: operations.replace → SET', () => expectResult(updateOf('ddb.operations.replace(3)'), updateText('SET #expName_1 = :expValue_1', '{"N":3}')));
  it('docs/reference/appsync-js-runtime.md §5.3 update: operations.increment → SET #n = #n + :v', () => expectResult(updateOf('ddb.operations.increment(10)'), updateText('SET #expName_1 = #expName_1 + :expValue_1', '{"N":10}')));
  it('docs/reference/appsync-js-runtime.md §5.3 update: operations.decrement → SET #n = #n - :v', () => expectResult(updateOf('ddb.operations.decrement(10)'), updateText('SET #expName_1 = #expName_1 - :expValue_1', '{"N":10}')));
  it('docs/reference/appsync-js-runtime.md §5.3 update: operations.prepend → SET #n = list_append(:v, #n)', () =>
    expectResult(updateOf('ddb.operations.prepend([1])'), updateText('SET #expName_1 = list_append(:expValue_1, #expName_1)', '{"L":[{"N":1}]}')));
  // LS records `undefined` here: at the time, AWS's bundled utils did not export sync
  // ("Property 'sync' does not exist …", docs/reference/appsync-js-runtime.md §2.3 version skew). The npm declarations the
  // runtime follows (and the brief: every declared member exists) do export it, so the local
  // runtime builds the request. This is the one recording we deliberately do not reproduce.
  it('LS DynamoDB module functions sync 1 (version skew: the runtime follows the npm declarations)', () =>
    expectResult(lsEvaluate('ddb.sync({ limit: 10 })'), '{"operation":"Sync","limit":10}'));
});

describe('LS index.test.js.snap: DynamoDB operations', () => {
  it('LS DynamoDB operations add 1', () => expectResult(lsEvaluate('ddb.operations.add(10)'), '{"type":"OPERATION_ADD","value":10}'));
  it('LS DynamoDB operations replace 1', () => expectResult(lsEvaluate('ddb.operations.replace({ a: 10 })'), '{"type":"OPERATION_REPLACE","value":{"a":10}}'));
  it('LS DynamoDB operations increment 1', () => expectResult(lsEvaluate('ddb.operations.increment(10)'), '{"type":"OPERATION_INCREMENT","by":10}'));
  it('LS DynamoDB operations decrement 1', () => expectResult(lsEvaluate('ddb.operations.decrement(10)'), '{"type":"OPERATION_DECREMENT","by":10}'));
  it('LS DynamoDB operations append 1', () => expectResult(lsEvaluate('ddb.operations.append([1, 2, 3])'), '{"type":"OPERATION_APPEND","items":[1,2,3]}'));
  it('LS DynamoDB operations prepend 1', () => expectResult(lsEvaluate('ddb.operations.prepend([1, 2, 3])'), '{"type":"OPERATION_PREPEND","items":[1,2,3]}'));
});

describe('LS transform outputs (docs/reference/appsync-js-runtime.md §4.4)', () => {
  it('LS util.transform.toDynamoDBFilterExpression contains', () =>
    expectResult(
      lsEvaluate('util.transform.toDynamoDBFilterExpression({ title: { contains: "Hello World" } })'),
      JSON.stringify('{"expression":"(contains(#title,:title_contains))","expressionNames":{"#title":"title"},"expressionValues":{":title_contains":{"S":"Hello World"}}}'),
    ));
  it('LS util.transform.toDynamoDBConditionExpression attributeExists and eq', () =>
    expectResult(
      lsEvaluate('util.transform.toDynamoDBConditionExpression({ id: { attributeExists: true }, version: { eq: 10 } })'),
      JSON.stringify('{"expression":"(attribute_exists(#id)) AND (#version = :version_eq)","expressionNames":{"#id":"id","#version":"version"},"expressionValues":{":version_eq":{"N":10}}}'),
    ));
});

describe('LS error handling (docs/reference/appsync-js-runtime.md §9.1)', () => {
  it('LS error handling util.error', () => {
    const response = lsEvaluate('util.error("foo")');
    expect(response.error).toEqual({ message: 'foo' });
    expect(response.evaluationResult).toBeUndefined();
  });
  it('LS error handling unauthorized', () => {
    const response = lsEvaluate('util.unauthorized()');
    expect(response.error).toEqual({ message: 'Unauthorized' });
    expect(response.evaluationResult).toBeUndefined();
  });
});

describe('LS resolvers.test.js.snap', () => {
  const query = `import { util } from '@aws-appsync/utils';

export function request(ctx) {
  return {
    operation: "Query",
    index: "nameIndex",
    select: "ALL_ATTRIBUTES",
    query: {
      expression: "#name = :name",
      expressionNames: { "#name": "name" },
      expressionValues: { ":name": util.dynamodb.toDynamoDB(ctx.arguments.filter.line) },
    },
    filter: {
      expression: "#shift = :shift",
      expressionNames: { "#shift": "shift" },
      expressionValues: { ":shift": util.dynamodb.toDynamoDB(ctx.arguments.filter.shift) },
    },
  };
}

export function response(ctx) {
  return ctx.result.items;
}
`;
  it('LS dynamodb resolvers something 1', () => {
    const response = evaluateCode({ code: query, context: JSON.stringify({ arguments: { filter: { line: 'test', shift: 10 } } }), function: 'request', runtime: RUNTIME });
    expectResult(
      response,
      '{"operation":"Query","index":"nameIndex","select":"ALL_ATTRIBUTES","query":{"expression":"#name = :name","expressionNames":{"#name":"name"},"expressionValues":{":name":{"S":"test"}}},"filter":{"expression":"#shift = :shift","expressionNames":{"#shift":"shift"},"expressionValues":{":shift":{"N":10}}}}',
    );
  });
  it('LS dynamodb resolvers something 2', () => {
    const response = evaluateCode({ code: query, context: JSON.stringify({ result: { items: [{ a: 10 }] } }), function: 'response', runtime: RUNTIME });
    expectResult(response, '[{"a":10}]');
  });

  const rdsRequest = (body: string) => `import * as rds from '@aws-appsync/utils/rds';\n\nexport function request(ctx) {\n${body}\n}\n\nexport function response(ctx) {}\n`;
  it('LS rds resolvers typehints UUID 1', () => {
    const response = evaluateCode({ code: rdsRequest('  return rds.typeHint.UUID(ctx.args.id);'), context: JSON.stringify({ arguments: { id: 'abc123' } }), function: 'request' });
    expectResult(response, '{"type":"UUID","value":"abc123"}');
  });
  it('LS rds resolvers typehints TIMESTAMP 1', () => {
    const response = evaluateCode({
      code: rdsRequest('  return rds.typeHint.TIMESTAMP(ctx.args.id);'),
      context: JSON.stringify({ arguments: { id: new Date(Date.UTC(2023, 1, 1)) } }),
      function: 'request',
    });
    expectResult(response, '{"type":"TIMESTAMP","value":"2023-02-01T00:00:00.000Z"}');
  });
  it('LS rds resolvers createPgStatement-select 1', () => {
    const code = rdsRequest(`  const whereClause = { or: [{ name: { eq: 'Stephane' } }, { id: { gt: 10 } }] };
  return rds.createPgStatement(rds.select({
    table: "UserGroup",
    where: whereClause,
    limit: 10,
    offset: 1,
    columns: ['id', 'name'],
    orderBy: [{ column: 'name' }, { column: 'id', dir: 'DESC' }],
  }));`);
    expectResult(
      evaluateCode({ code, context: '{}', function: 'request' }),
      JSON.stringify({
        statements: ['SELECT "id", "name" FROM "UserGroup" WHERE ("name" = :P0) OR ("id" > :P1) ORDER BY "name" ASC, "id" DESC LIMIT :P2 OFFSET :P3'],
        variableMap: { ':P0': 'Stephane', ':P1': 10, ':P2': 10, ':P3': 1 },
        variableTypeHintMap: {},
      }),
    );
  });
  it('LS rds resolvers createPgStatement-typeHint 1', () => {
    const code = rdsRequest(`  const whereClause = { and: [
    { id: { eq: rds.typeHint.UUID(ctx.args.id) } },
    { started: { lt: rds.typeHint.TIMESTAMP(ctx.args.started) } },
  ] };
  return rds.createPgStatement(rds.select({ table: "UserGroup", where: whereClause }));`);
    const context = JSON.stringify({ arguments: { id: '1232', name: 'hello', started: new Date(Date.UTC(2022, 2, 2)) } });
    expectResult(
      evaluateCode({ code, context, function: 'request' }),
      JSON.stringify({
        statements: ['SELECT * FROM "UserGroup" WHERE ("id" = :P0) AND ("started" < :P1)'],
        variableMap: { ':P0': '1232', ':P1': '2022-03-02T00:00:00.000Z' },
        variableTypeHintMap: { ':P0': 'UUID', ':P1': 'TIMESTAMP' },
      }),
    );
  });
  it('LS rds resolvers createPgStatement-remove 1', () => {
    const code = rdsRequest(`  const id = ctx.args.id;
  const where = { id: { eq: id } };
  const deleteStatement = rds.remove({ table: 'persons', where: where, returning: ['id', 'name'] });
  return rds.createPgStatement(deleteStatement);`);
    expectResult(
      evaluateCode({ code, context: JSON.stringify({ arguments: { id: '1232' } }), function: 'request' }),
      JSON.stringify({ statements: ['DELETE FROM "persons" WHERE "id" = :P0 RETURNING "id", "name"'], variableMap: { ':P0': '1232' }, variableTypeHintMap: {} }),
    );
  });
  it('LS rds resolvers toJsonObject 1', () => {
    const column = (label: string, precision: number) => ({ isSigned: false, isCurrency: false, label, precision, typeName: 'VARCHAR', scale: 0, isAutoIncrement: false, isCaseSensitive: false, schemaName: '', tableName: 'Books', type: 12, nullable: 0, arrayBaseColumnType: 0, name: label });
    const result = JSON.stringify({
      sqlStatementResults: [
        {
          numberOfRecordsUpdated: 0,
          records: [
            [{ stringValue: 'Mark Twain' }, { stringValue: 'Adventures of Huckleberry Finn' }, { stringValue: '978-1948132817' }],
            [{ stringValue: 'Jack London' }, { stringValue: 'The Call of the Wild' }, { stringValue: '978-1948132275' }],
          ],
          columnMetadata: [column('author', 200), column('title', 200), column('ISBN-13', 15)],
        },
      ],
    });
    const code = `import * as rds from '@aws-appsync/utils/rds';\n\nexport function request(ctx) {}\n\nexport function response(ctx) {\n  return rds.toJsonObject(ctx.result);\n}\n`;
    expectResult(
      evaluateCode({ code, context: JSON.stringify({ result }), function: 'response' }),
      JSON.stringify([
        [
          { author: 'Mark Twain', title: 'Adventures of Huckleberry Finn', 'ISBN-13': '978-1948132817' },
          { author: 'Jack London', title: 'The Call of the Wild', 'ISBN-13': '978-1948132275' },
        ],
      ]),
    );
  });
});

describe('FB fitter-backend EvaluateCode tests (docs/reference/appsync-js-runtime.md §5.3)', () => {
  const identity = (username: string) => ({ sub: 'uuid', issuer: ' https://cognito-idp.{region}.amazonaws.com/{userPoolId}', username, claims: {}, sourceIp: ['x.x.x.x'], defaultAuthStrategy: 'ALLOW' });

  it('FB Mutation.editMyProfile.request: update() with null values sets NULL', () => {
    const code = `import { update } from "@aws-appsync/utils/dynamodb";

export function request(ctx) {
  const profile = ctx.arguments.newProfile;
  const request = update({
    key: { id: ctx.identity.username },
    update: {
      name: profile.name,
      imageUrl: profile.imageUrl,
      backgroundImageUrl: profile.backgroundImageUrl,
      bio: profile.bio,
      location: profile.location,
      website: profile.website,
      birthdate: profile.birthdate,
    },
  });
  request.condition = { expression: "attribute_exists(id)" };
  return request;
}

export function response(ctx) {
  return ctx.result;
}
`;
    const newProfile = { name: 'Toni Test', imageUrl: null, backgroundImageUrl: null, bio: 'The test bio', location: null, website: null, birthdate: null };
    const context = JSON.stringify({ arguments: { newProfile }, source: {}, result: {}, identity: identity('u-1') });
    expectResult(
      evaluateCode({ code, context, function: 'request', runtime: RUNTIME }),
      '{"operation":"UpdateItem","key":{"id":{"S":"u-1"}},"update":{"expression":"SET #expName_1 = :expValue_1, #expName_2 = :expValue_2, #expName_3 = :expValue_3, #expName_4 = :expValue_4, #expName_5 = :expValue_5, #expName_6 = :expValue_6, #expName_7 = :expValue_7","expressionNames":{"#expName_1":"name","#expName_2":"imageUrl","#expName_3":"backgroundImageUrl","#expName_4":"bio","#expName_5":"location","#expName_6":"website","#expName_7":"birthdate"},"expressionValues":{":expValue_1":{"S":"Toni Test"},":expValue_2":{"NULL":null},":expValue_3":{"NULL":null},":expValue_4":{"S":"The test bio"},":expValue_5":{"NULL":null},":expValue_6":{"NULL":null},":expValue_7":{"NULL":null}}},"condition":{"expression":"attribute_exists(id)"}}',
    );
  });

  it('FB Mutation.like.request: a TransactWriteItems request built with util.dynamodb', () => {
    const code = `import { util } from "@aws-appsync/utils";

export function request(ctx) {
  const { username } = ctx.identity;
  const { tweetId } = ctx.arguments;
  const condition = (expression) => ({ expression, returnValuesOnConditionCheckFailure: true });
  const increment = (table, key, attribute) => ({
    table,
    operation: "UpdateItem",
    key: util.dynamodb.toMapValues(key),
    update: { expression: \`ADD \${attribute} :one\`, expressionValues: { ":one": util.dynamodb.toDynamoDB(1) } },
    condition: condition("attribute_exists(id)"),
  });
  return {
    operation: "TransactWriteItems",
    transactItems: [
      {
        table: "#LikesTable#",
        operation: "PutItem",
        key: util.dynamodb.toMapValues({ userId: username, tweetId }),
        attributeValues: {},
        condition: condition("attribute_not_exists(userId)"),
      },
      increment("#TweetsTable#", { id: tweetId }, "likes"),
      increment("#UsersTable#", { id: username }, "likesCounts"),
    ],
  };
}

export const response = (ctx) => {
  if (ctx.error) {
    util.error("Failed to execute DynamoDB transaction");
  }
  return true;
};
`;
    const context = JSON.stringify({ arguments: { userId: 'u-2', tweetId: 't-1' }, source: {}, result: {}, identity: identity('u-2') });
    const transact = (table: string, key: object, attribute: string) => ({
      table,
      operation: 'UpdateItem',
      key,
      update: { expression: `ADD ${attribute} :one`, expressionValues: { ':one': { N: 1 } } },
      condition: { expression: 'attribute_exists(id)', returnValuesOnConditionCheckFailure: true },
    });
    expectResult(
      evaluateCode({ code, context, function: 'request', runtime: RUNTIME }),
      JSON.stringify({
        operation: 'TransactWriteItems',
        transactItems: [
          {
            table: '#LikesTable#',
            operation: 'PutItem',
            key: { userId: { S: 'u-2' }, tweetId: { S: 't-1' } },
            attributeValues: {},
            condition: { expression: 'attribute_not_exists(userId)', returnValuesOnConditionCheckFailure: true },
          },
          transact('#TweetsTable#', { id: { S: 't-1' } }, 'likes'),
          transact('#UsersTable#', { id: { S: 'u-2' } }, 'likesCounts'),
        ],
      }),
    );
  });
});

describe('DOC EvaluateCode example (docs/reference/appsync-js-runtime.md §11)', () => {
  it('DOC evaluationResult: PutItem with a JSON number inside N', () => {
    const code = `import { util } from '@aws-appsync/utils';

export function request(ctx) {
  const { id, ...values } = ctx.args;
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ id }),
    attributeValues: util.dynamodb.toMapValues(values),
  };
}

export function response(ctx) {
  return ctx.result;
}
`;
    const context = JSON.stringify({ arguments: { id: 'record-id', owner: 'John doe', expectedVersion: 2, authorId: 'Sammy Davis' } });
    expectResult(
      evaluateCode({ code, context, function: 'request', runtime: RUNTIME }),
      '{"operation":"PutItem","key":{"id":{"S":"record-id"}},"attributeValues":{"owner":{"S":"John doe"},"expectedVersion":{"N":2},"authorId":{"S":"Sammy Davis"}}}',
    );
  });

  it('DOC codeErrors: a parser error in EvaluateCode shape (API-EVAL)', () => {
    const response = lsEvaluate('"abc');
    expect(response.error?.message).toBe('The code contains one or more errors.');
    expect(response.error?.codeErrors?.[0]).toMatchObject({ errorType: 'PARSER_ERROR', value: 'Parsing error: Unterminated string literal' });
    expect(response.evaluationResult).toBeUndefined();
  });
});
