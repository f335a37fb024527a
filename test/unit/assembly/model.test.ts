import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('lists resource types it does not know, names them by Ref, and refuses a GetAtt of one by name', () => {
    const dir = writeAssembly({
      Resources: {
        ...api,
        Bucket: { Type: 'AWS::S3::Bucket' },
        Stream: { Type: 'AWS::Kinesis::Stream' },
      },
      Outputs: { BucketName: { Value: { Ref: 'Bucket' } } },
    });
    const model = buildAppModel(readCloudAssembly(dir), env);
    expect(model.unrecognized).toEqual([
      { stackName: 'Shop', logicalId: 'Bucket', type: 'AWS::S3::Bucket' },
      { stackName: 'Shop', logicalId: 'Stream', type: 'AWS::Kinesis::Stream' },
    ]);
    expect(model.outputs.BucketName).toBe('Shop-Bucket');
    const withGetAtt = writeAssembly({ Resources: { ...api, Bucket: { Type: 'AWS::S3::Bucket' } }, Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } } });
    expect(() => buildAppModel(readCloudAssembly(withGetAtt), env)).toThrow('Shop/Outputs.Arn.Fn::GetAtt: Bucket (AWS::S3::Bucket) has no attribute Arn in the local runtime');
  });

  it('keeps a VTL resolver as one that cannot run, with the reason', () => {
    const dir = writeAssembly({
      Resources: {
        ...api,
        Vtl: {
          Type: 'AWS::AppSync::Resolver',
          Properties: { ApiId: { 'Fn::GetAtt': ['Api', 'ApiId'] }, TypeName: 'Query', FieldName: 'item', DataSourceName: 'items', RequestMappingTemplate: '{}' },
        },
      },
    });
    const [resolver] = buildAppModel(readCloudAssembly(dir), env).apis[0]!.resolvers;
    expect(resolver!.code).toEqual({ code: '', origin: 'Shop/Vtl (Query.item)', unsupported: expect.stringContaining('VTL mapping templates are not run') });
  });

  it('models inline Node.js code as a folder holding index.js, and other runtimes as not runnable', () => {
    const fn = (props: Record<string, unknown>) => ({ Type: 'AWS::Lambda::Function', Properties: { Handler: 'index.handler', Role: 'arn:aws:iam::111122223333:role/r', ...props } });
    const dir = writeAssembly({
      Resources: {
        Inline: fn({ Runtime: 'nodejs22.x', Code: { ZipFile: 'exports.handler = async () => 1;' } }),
        Python: fn({ Runtime: 'python3.12', Code: { ZipFile: 'def handler(e, c): return 1' } }),
      },
    });
    const [inline, python] = buildAppModel(readCloudAssembly(dir), env).functions;
    expect(readFileSync(join(inline!.codeDir, 'index.js'), 'utf8')).toBe('exports.handler = async () => 1;');
    expect(inline!.unsupported).toBeUndefined();
    expect(python).toMatchObject({ codeDir: '', unsupported: expect.stringContaining('runtime python3.12') });
  });

  it('says what is wrong with a folder that is not an assembly', () => {
    expect(() => readCloudAssembly(mkdtempSync(join(tmpdir(), 'empty-')))).toThrow('is not a cloud assembly: it has no manifest.json');
  });
});
