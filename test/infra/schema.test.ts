import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, loadCodegenConfig } from '@graphql-codegen/cli';
import {
  buildSchema,
  getNamedType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputObjectType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { RESOLVERS } from '../../infra/appsync/resolver-catalog.ts';
import { PROJECT_ROOT, SCHEMA_FILE } from '../../infra/paths.ts';

type Mode = 'cognito' | `cognito:${string}` | 'api_key' | 'iam';

let schema: GraphQLSchema;
beforeAll(() => {
  const prelude = readFileSync(join(PROJECT_ROOT, 'schema', 'appsync-prelude.graphql'), 'utf8');
  schema = buildSchema(`${prelude}\n${readFileSync(SCHEMA_FILE, 'utf8')}`);
});

/** The auth modes a field or type names, in AppSync's terms; empty = the default mode only. */
function modesOf(node: { astNode?: { directives?: readonly { name: { value: string }; arguments?: readonly { value: unknown }[] }[] } | null }): Mode[] {
  const modes: Mode[] = [];
  for (const d of node.astNode?.directives ?? []) {
    if (d.name.value === 'aws_api_key') modes.push('api_key');
    if (d.name.value === 'aws_iam') modes.push('iam');
    if (d.name.value === 'aws_cognito_user_pools') {
      const groups = (d.arguments?.[0]?.value as { values?: { value: string }[] } | undefined)?.values?.map((v) => v.value);
      modes.push(...(groups ? groups.map((g) => `cognito:${g}` as Mode) : ['cognito' as Mode]));
    }
  }
  return modes.sort();
}

const rootField = (type: 'Query' | 'Mutation' | 'Subscription', name: string) => {
  const field = (schema.getType(type) as GraphQLObjectType).getFields()[name];
  if (!field) throw new Error(`the schema has no ${type}.${name}`);
  return field;
};

// DESIGN.md's API contract: who may call what.
const CONTRACT: [('Query' | 'Mutation' | 'Subscription'), string, Mode[]][] = [
  ['Query', 'event', ['api_key', 'cognito']],
  ['Query', 'events', ['api_key', 'cognito']],
  ['Query', 'market', ['api_key', 'cognito']],
  ['Query', 'priceHistory', ['api_key', 'cognito']],
  ['Query', 'job', ['cognito']],
  ['Query', 'myJobs', ['cognito']],
  ['Mutation', 'ingestFeed', ['iam']],
  ['Mutation', 'setMargin', ['cognito:traders']],
  ['Mutation', 'setMarketStatus', ['cognito:traders']],
  ['Mutation', 'startJob', ['cognito:admins', 'cognito:traders']],
  ['Mutation', 'cancelJob', ['cognito:admins', 'cognito:traders']],
  ['Mutation', 'publishPriceUpdate', ['iam']],
  ['Mutation', 'publishJobUpdate', ['iam']],
  ['Mutation', 'publishHeartbeat', ['iam']],
  ['Mutation', 'publishEventUpdate', ['iam']],
  ['Subscription', 'onPriceUpdate', ['api_key', 'cognito']],
  ['Subscription', 'onJobUpdate', ['cognito']],
  ['Subscription', 'onHeartbeat', ['api_key', 'cognito']],
  ['Subscription', 'onEventUpdate', ['api_key', 'cognito']],
];

describe('schema: the API contract of DESIGN.md', () => {
  it('parses with the AppSync prelude and has exactly the contract root fields', () => {
    const roots = (['Query', 'Mutation', 'Subscription'] as const).flatMap((t) => Object.keys((schema.getType(t) as GraphQLObjectType).getFields()).map((f) => `${t}.${f}`));
    expect(roots.sort()).toEqual(CONTRACT.map(([t, f]) => `${t}.${f}`).sort());
  });

  for (const [type, name, modes] of CONTRACT) {
    it(`${type}.${name} may be called by ${modes.join(', ')}`, () => {
      expect(modesOf(rootField(type, name))).toEqual(modes);
    });
  }

  it('onPriceUpdate filters by marketId, eventId, eventIds and sports, and fires on publishPriceUpdate', () => {
    const field = rootField('Subscription', 'onPriceUpdate');
    expect(Object.fromEntries(field.args.map((a) => [a.name, String(a.type)]))).toEqual({ marketId: 'ID', eventId: 'ID', eventIds: '[ID!]', sports: '[String!]' });
    expect(field.astNode!.directives!.find((d) => d.name.value === 'aws_subscribe')!.arguments![0]!.value).toMatchObject({ values: [{ value: 'publishPriceUpdate' }] });
  });

  it('onJobUpdate fires on publishJobUpdate', () => {
    const field = rootField('Subscription', 'onJobUpdate');
    expect(field.astNode!.directives!.find((d) => d.name.value === 'aws_subscribe')!.arguments![0]!.value).toMatchObject({ values: [{ value: 'publishJobUpdate' }] });
  });

  it('onHeartbeat fires on publishHeartbeat; onEventUpdate on publishEventUpdate, filtered by sport', () => {
    const firedBy = (name: string) => rootField('Subscription', name).astNode!.directives!.find((d) => d.name.value === 'aws_subscribe')!.arguments![0]!.value;
    expect(firedBy('onHeartbeat')).toMatchObject({ values: [{ value: 'publishHeartbeat' }] });
    expect(firedBy('onEventUpdate')).toMatchObject({ values: [{ value: 'publishEventUpdate' }] });
    expect(Object.fromEntries(rootField('Subscription', 'onEventUpdate').args.map((a) => [a.name, String(a.type)]))).toEqual({ sport: 'String' });
  });

  it('PriceUpdate and its publish input carry previousVersion (nullable: a market\'s first publication has none)', () => {
    expect(String((schema.getType('PriceUpdate') as GraphQLObjectType).getFields().previousVersion!.type)).toBe('Int');
    expect(String((schema.getType('PublishPriceUpdateInput') as GraphQLInputObjectType).getFields().previousVersion!.type)).toBe('Int');
  });

  it('every type a root field returns (and every type under it) may be read by every mode that may call the field', () => {
    // A type without directives is readable by the default mode (user pools) only; a type that
    // names modes is readable by those (AppSync). Groups restrict calling, not reading.
    const readable = (type: GraphQLNamedType): Set<string> => {
      const modes = modesOf(type as GraphQLObjectType).map((m) => m.split(':')[0]!);
      return new Set(modes.length === 0 ? ['cognito'] : modes);
    };
    const problems: string[] = [];
    for (const [rootType, name] of CONTRACT) {
      const field = rootField(rootType, name);
      const callers = new Set(modesOf(field).map((m) => m.split(':')[0]!));
      const seen = new Set<string>();
      const visit = (f: GraphQLField<unknown, unknown>, path: string) => {
        const type = getNamedType(f.type);
        if (!isObjectType(type) || seen.has(type.name)) return;
        seen.add(type.name);
        for (const mode of callers) if (!readable(type).has(mode)) problems.push(`${path}: ${type.name} is not readable with ${mode}`);
        for (const child of Object.values(type.getFields())) visit(child, `${path}.${child.name}`);
      };
      visit(field, `${rootType}.${name}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('resolvers of the catalog', () => {
  it('cover every root field, and each names a field of the schema and a handler file that exists', () => {
    for (const r of RESOLVERS) {
      expect((schema.getType(r.typeName) as GraphQLObjectType).getFields()[r.fieldName], `${r.typeName}.${r.fieldName}`).toBeDefined();
      expect(existsSync(join(PROJECT_ROOT, r.entry)), r.entry).toBe(true);
    }
    const resolved = new Set(RESOLVERS.map((r) => `${r.typeName}.${r.fieldName}`));
    for (const [type, name] of CONTRACT) expect(resolved.has(`${type}.${name}`), `${type}.${name}`).toBe(true);
    expect(resolved.has('Event.markets') && resolved.has('Market.selections')).toBe(true);
  });
});

describe('generated types (codegen.yml)', () => {
  it('schema/generated/types.ts is what `npm run codegen` makes of the current schema', async () => {
    const { config } = await loadCodegenConfig({ configFilePath: join(PROJECT_ROOT, 'codegen.yml') });
    const target = 'schema/generated/types.ts';
    const outputs = await generate({ ...config, cwd: PROJECT_ROOT, silent: true, generates: { [target]: config.generates[target]! } } as never, false);
    const generated = (outputs as { filename: string; content: string }[]).find((o) => o.filename.endsWith(target))!;
    expect(generated.content).toBe(readFileSync(join(PROJECT_ROOT, target), 'utf8'));
  });
});
