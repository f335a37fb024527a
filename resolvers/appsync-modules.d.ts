// AppSync provides `@aws-appsync/utils/dynamodb` to resolvers. The npm package has no `exports`
// map, so TypeScript's nodenext resolution does not see that subpath without an extension (which
// AppSync would refuse); this points the type checker at the module's declarations.
declare module '@aws-appsync/utils/dynamodb' {
  export * from '@aws-appsync/utils/lib/dynamodb-helpers.js';
}
