import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CfnResource, FileAsset, StackArtifact } from '../cloud-assembly.ts';
import { missing } from '../stack-scope.ts';
import type { ResourceReader } from './types.ts';

/** AWS's defaults for Lambda: 3 s timeout, 128 MB. */
export const lambdaFunctionReader: ResourceReader = {
  type: 'AWS::Lambda::Function',
  read(stack, logicalId, model) {
    const p = stack.propsOf(logicalId);
    const where = `${stack.stackName}/${logicalId}`;
    const runtime = String(p.Runtime ?? '');
    const unsupported = runtime.startsWith('nodejs') ? undefined : `runtime ${runtime || '(none: a container image)'}; the local Lambda service runs nodejs* functions`;
    const variables = (p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const resource = stack.stack.template.Resources[logicalId]!;
    model.functions.push({
      stackName: stack.stackName,
      logicalId,
      functionName: stack.ref(logicalId),
      arn: stack.identity(logicalId, logicalId).attributes.Arn!,
      handler: String(p.Handler ?? missing(where, 'Handler')),
      runtime,
      codeDir: unsupported ? '' : lambdaCodeDir(stack.stack, resource, p, stack.assets, where),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      environment: Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, String(v)])),
      ...(typeof p.Role === 'string' && { roleArn: p.Role }),
      ...(p.ReservedConcurrentExecutions !== undefined && { reservedConcurrency: Number(p.ReservedConcurrentExecutions) }),
      ...(unsupported && { unsupported }),
    });
  },
};

/**
 * Where a function's code is: the `aws:asset:path` metadata CDK (and SAM) put on the resource,
 * relative to the assembly folder of the stack; else the S3 key of an asset in the manifest.
 */
function lambdaCodeDir(stack: StackArtifact, resource: CfnResource, p: Record<string, unknown>, assets: FileAsset[], where: string): string {
  const assetPath = resource.Metadata?.['aws:asset:path'];
  if (typeof assetPath === 'string') {
    const dir = join(dirname(stack.templateFile), assetPath);
    if (!existsSync(dir)) throw new Error(`${where}: its code asset ${dir} (aws:asset:path) is missing from the cloud assembly`);
    return dir;
  }
  const code = p.Code as { S3Key?: string; ZipFile?: string } | undefined;
  const asset = code?.S3Key ? assets.find((a) => a.objectKeys.includes(code.S3Key!)) : undefined;
  if (asset) return asset.path;
  if (typeof code?.ZipFile === 'string') return inlineCodeDir(code.ZipFile);
  return missing(where, 'code the local runtime can find (aws:asset:path metadata or an S3Key of the asset manifest)');
}

/**
 * Inline code (`Code.ZipFile`) in a folder of its own, as Lambda stores it: a file named
 * index.js. The folder is named by the code's hash, so the same code reuses it.
 */
function inlineCodeDir(source: string): string {
  const dir = join(tmpdir(), 'pricestream-inline-code', createHash('sha256').update(source).digest('hex').slice(0, 16));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.js'), source);
  return dir;
}
