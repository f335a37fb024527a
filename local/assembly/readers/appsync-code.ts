import { readFileSync } from 'node:fs';
import type { CfnResource, FileAsset } from '../cloud-assembly.ts';
import type { CodeModel } from '../model.ts';
import { missing } from '../stack-scope.ts';

/** The SDL of an API: its one AWS::AppSync::GraphQLSchema, inline or as a file asset. */
export function schemaOf(schemas: [string, CfnResource][], propsOf: (id: string) => Record<string, unknown>, assets: FileAsset[], where: string): string {
  if (schemas.length !== 1) throw new Error(`${where}: expected one AWS::AppSync::GraphQLSchema for the API, found ${schemas.length}`);
  const props = propsOf(schemas[0]![0]);
  if (typeof props.Definition === 'string') return props.Definition;
  if (typeof props.DefinitionS3Location === 'string') return readS3Asset(props.DefinitionS3Location, assets, where);
  return missing(where, 'a schema Definition or DefinitionS3Location');
}

/** A resolver's or function's handler code; VTL and other runtimes are kept with the reason they cannot run. */
export function codeOf(props: Record<string, unknown>, assets: FileAsset[], origin: string): CodeModel | undefined {
  if (props.RequestMappingTemplate !== undefined || props.RequestMappingTemplateS3Location !== undefined) {
    return { code: '', origin, unsupported: 'VTL mapping templates are not run by the local runtime (it runs APPSYNC_JS 1.0.0 code)' };
  }
  const runtime = props.Runtime as { Name?: string; RuntimeVersion?: string } | undefined;
  if (runtime && (runtime.Name !== 'APPSYNC_JS' || runtime.RuntimeVersion !== '1.0.0')) {
    return { code: '', origin, unsupported: `runtime ${runtime.Name} ${runtime.RuntimeVersion} is not run by the local runtime (it runs APPSYNC_JS 1.0.0)` };
  }
  if (typeof props.Code === 'string') return { code: props.Code, origin };
  if (typeof props.CodeS3Location === 'string') return { code: readS3Asset(props.CodeS3Location, assets, origin), origin };
  return undefined;
}

/** Maps an `s3://bucket/key` of an asset back to its file in the assembly. */
function readS3Asset(location: string, assets: FileAsset[], where: string): string {
  const key = location.replace(/^s3:\/\/[^/]+\//, '');
  const asset = assets.find((a) => a.objectKeys.includes(key) && a.packaging === 'file');
  if (!asset) throw new Error(`${where}: ${location} is not a file asset of the cloud assembly`);
  return readFileSync(asset.path, 'utf8');
}
