import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCloudAssembly, type CfnTemplate } from '../../../local/assembly/cloud-assembly.ts';
import { buildAppModel } from '../../../local/assembly/model.ts';

const env = { region: 'eu-west-1', accountId: '111122223333', appsyncBaseUrl: () => 'http://localhost:4321', secretSeed: 'seed' };

function writeAssembly(template: CfnTemplate, files: Record<string, string> = {}, assetFiles: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'assembly-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '48.0.0',
      artifacts: {
        'Shop.assets': { type: 'cdk:asset-manifest', properties: { file: 'Shop.assets.json' } },
        Shop: { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'Shop.template.json' } },
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      },
    }),
  );
  writeFileSync(join(dir, 'Shop.template.json'), JSON.stringify(template));
  writeFileSync(join(dir, 'Shop.assets.json'), JSON.stringify({ version: '48.0.0', files: assetFiles }));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const api = {
  Api: { Type: 'AWS::AppSync::GraphQLApi', Properties: { Name: 'shop', AuthenticationType: 'API_KEY', AdditionalAuthenticationProviders: [{ AuthenticationType: 'AWS_IAM' }] } },
  Schema: { Type: 'AWS::AppSync::GraphQLSchema', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Definition: 'type Query { item(id: ID!): String }' } },
  Key: { Type: 'AWS::AppSync::ApiKey', Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Expires: 4102444800 } },
  Items: {
    Type: 'AWS::DynamoDB::Table',
    Properties: {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    },
  },
  ItemsSource: {
    Type: 'AWS::AppSync::DataSource',
    Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, Name: 'items', Type: 'AMAZON_DYNAMODB', DynamoDBConfig: { TableName: { Ref: 'Items' }, AwsRegion: { Ref: 'AWS::Region' } } },
  },
};

describe('buildAppModel', () => {
  it('models an API with its auth, key, schema, data sources, resolvers and tables', () => {
    const dir = writeAssembly({
      Resources: {
        ...api,
        ItemResolver: {
          Type: 'AWS::AppSync::Resolver',
          Properties: {
            ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
            TypeName: 'Query',
            FieldName: 'item',
            Kind: 'UNIT',
            DataSourceName: { 'Fn::GetAtt': ['ItemsSource', 'Name'] },
            Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
            Code: 'export function request() {} export function response() {}',
          },
        },
        Metadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2' } },
      },
      Outputs: { Url: { Value: { 'Fn::GetAtt': ['Api', 'GraphQLUrl'] } } },
    });
    const model = buildAppModel(readCloudAssembly(dir), env);
    const [shop] = model.apis;
    expect(shop!.graphqlUrl).toBe('http://localhost:4321/graphql');
    expect(shop!.realtimeUrl).toBe('ws://localhost:4321/graphql/realtime');
    expect(shop!.defaultAuth).toEqual({ type: 'API_KEY' });
    expect(shop!.additionalAuth).toEqual([{ type: 'AWS_IAM' }]);
    expect(shop!.apiKeys[0]).toMatchObject({ expires: 4102444800 });
    expect(shop!.apiKeys[0]!.value).toMatch(/^da2-[a-z0-9]{26}$/);
    expect(shop!.dataSources.get('items')).toEqual({ name: 'items', type: 'AMAZON_DYNAMODB', dynamodb: { tableName: 'Shop-Items', region: 'eu-west-1' } });
    expect(shop!.resolvers).toEqual([
      expect.objectContaining({ typeName: 'Query', fieldName: 'item', kind: 'UNIT', dataSourceName: 'items', code: expect.objectContaining({ origin: 'Shop/ItemResolver (Query.item)' }) }),
    ]);
    expect(model.tables).toEqual([expect.objectContaining({ tableName: 'Shop-Items', streamViewType: 'NEW_IMAGE', timeToLiveAttribute: 'expiresAt' })]);
    expect(model.inert).toEqual([{ stackName: 'Shop', logicalId: 'Metadata', type: 'AWS::CDK::Metadata' }]);
    expect(model.outputs.Url).toBe('http://localhost:4321/graphql');
  });

  it('keeps API key values stable for the same secret seed and changes them with another', () => {
    const dir = writeAssembly({ Resources: api });
    const key = (seed: string) => buildAppModel(readCloudAssembly(dir), { ...env, secretSeed: seed }).apis[0]!.apiKeys[0]!.value;
    expect(key('a')).toBe(key('a'));
    expect(key('a')).not.toBe(key('b'));
  });

  it('reads resolver code from an S3 file asset of the assembly', () => {
    const dir = writeAssembly(
      {
        Resources: {
          ...api,
          Resolver: {
            Type: 'AWS::AppSync::Resolver',
            Properties: {
              ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] },
              TypeName: 'Query',
              FieldName: 'item',
              DataSourceName: 'items',
              Runtime: { Name: 'APPSYNC_JS', RuntimeVersion: '1.0.0' },
              CodeS3Location: { 'Fn::Sub': 's3://cdk-assets-${AWS::AccountId}-${AWS::Region}/abc123.js' },
            },
          },
        },
      },
      { 'asset.abc123.js': 'export const request = () => ({});' },
      { abc123: { source: { path: 'asset.abc123.js', packaging: 'file' }, destinations: { d: { bucketName: 'b', objectKey: 'abc123.js' } } } },
    );
    expect(buildAppModel(readCloudAssembly(dir), env).apis[0]!.resolvers[0]!.code!.code).toBe('export const request = () => ({});');
  });

  it('refuses an assembly with resource types it does not understand, naming each', () => {
    const dir = writeAssembly({ Resources: { ...api, Bucket: { Type: 'AWS::S3::Bucket' }, Topic: { Type: 'AWS::Kinesis::Stream' } } });
    expect(() => buildAppModel(readCloudAssembly(dir), env)).toThrow(
      'the local runtime does not understand 2 resource(s) of the assembly: Shop/Bucket (AWS::S3::Bucket), Shop/Topic (AWS::Kinesis::Stream)',
    );
  });

  it('refuses VTL resolvers, naming the resolver', () => {
    const dir = writeAssembly({
      Resources: {
        ...api,
        Vtl: {
          Type: 'AWS::AppSync::Resolver',
          Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, TypeName: 'Query', FieldName: 'item', DataSourceName: 'items', RequestMappingTemplate: '{}' },
        },
      },
    });
    expect(() => buildAppModel(readCloudAssembly(dir), env)).toThrow('Shop/Vtl (Query.item): VTL mapping templates are not supported');
  });

  it('says what is wrong with a folder that is not an assembly', () => {
    expect(() => readCloudAssembly(mkdtempSync(join(tmpdir(), 'empty-')))).toThrow('is not a cloud assembly: it has no manifest.json');
  });
});
