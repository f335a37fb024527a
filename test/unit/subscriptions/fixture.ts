import { buildAppSyncSchema } from '../../../local/appsync/graphql/appsync-schema.ts';

/** A small AppSync schema with `@aws_subscribe`: nesting, lists, non-null fields, a union. */
export const TEST_SDL = /* GraphQL */ `
  type Item @aws_api_key {
    id: ID!
    name: String
    group: String
    owner: String!
    tags: [String]
    count: Int
    price: Float
    active: Boolean
    details: Details
    children: [Child!]
  }
  type Details @aws_api_key {
    label: String
    code: String!
    location: Location
  }
  type Location @aws_api_key { address: Address }
  type Address @aws_api_key { country: Country }
  type Country @aws_api_key { name: String, region: Region }
  type Region @aws_api_key { code: String }
  type Child @aws_api_key { name: String! }
  type Other @aws_api_key { id: ID!, title: String }
  union SearchResult = Item | Other

  type Query { item(id: ID!): Item @aws_api_key }
  type Mutation {
    putItem(id: ID!, name: String, group: String, owner: String!): Item @aws_api_key
    deleteItem(id: ID!): Item @aws_api_key
    putResult(id: ID!): SearchResult @aws_api_key
  }
  type Subscription {
    onPutItem(id: ID, group: String, name: String): Item @aws_subscribe(mutations: ["putItem"]) @aws_api_key
    onItemChange: Item @aws_subscribe(mutations: ["putItem", "deleteItem"]) @aws_api_key
    onFilteredItem(filter: AWSJSON, invalidation: AWSJSON): Item @aws_subscribe(mutations: ["putItem"]) @aws_api_key
    onStrictItem: Item! @aws_subscribe(mutations: ["putItem"]) @aws_api_key
    onResult: SearchResult @aws_subscribe(mutations: ["putResult"]) @aws_api_key
    onSecret: Item @aws_subscribe(mutations: ["putItem"]) @aws_api_key
  }
`;

export const testSchema = () => buildAppSyncSchema(TEST_SDL, 'test schema');

