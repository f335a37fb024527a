import { buildSchema, GraphQLScalarType, type GraphQLSchema } from 'graphql';
import { appSyncScalars } from './scalars.ts';

/** What AppSync adds to every schema: its scalars and directives. */
const APPSYNC_PRELUDE = `
${appSyncScalars.map((s) => `scalar ${s.name}`).join('\n')}
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
directive @aws_api_key on FIELD_DEFINITION | OBJECT
directive @aws_iam on FIELD_DEFINITION | OBJECT
directive @aws_oidc on FIELD_DEFINITION | OBJECT
directive @aws_lambda on FIELD_DEFINITION | OBJECT
directive @aws_cognito_user_pools(cognito_groups: [String]) on FIELD_DEFINITION | OBJECT
directive @aws_auth(cognito_groups: [String]) on FIELD_DEFINITION
`;

/** Builds the executable schema of an AppSync API from its SDL, as the service reads it. */
export function buildAppSyncSchema(sdl: string, where: string): GraphQLSchema {
  let schema: GraphQLSchema;
  try {
    schema = buildSchema(`${APPSYNC_PRELUDE}\n${sdl}`);
  } catch (error) {
    throw new Error(`${where}: the GraphQL schema does not build: ${(error as Error).message}`);
  }
  for (const scalar of appSyncScalars) {
    const type = schema.getType(scalar.name);
    if (type instanceof GraphQLScalarType) {
      Object.assign(type, { serialize: scalar.serialize, parseValue: scalar.parseValue, parseLiteral: scalar.parseLiteral });
    }
  }
  return schema;
}
