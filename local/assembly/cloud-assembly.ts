import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** A CloudFormation template as CDK writes it. */
export interface CfnTemplate {
  Parameters?: Record<string, { Type: string; Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Export?: unknown }>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
}

/** A file or folder that CDK packaged for upload (Lambda code, resolver code, ...). */
export interface FileAsset {
  hash: string;
  /** Absolute path of the asset inside the assembly. */
  path: string;
  packaging: 'file' | 'zip';
  /** The S3 object keys it would be uploaded as. */
  objectKeys: string[];
}

export interface StackArtifact {
  artifactId: string;
  stackName: string;
  templateFile: string;
  template: CfnTemplate;
  /** The `aws://account/region` environment the stack was synthesized for. */
  environment: string;
}

export interface CloudAssembly {
  dir: string;
  stacks: StackArtifact[];
  assets: FileAsset[];
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  properties?: { templateFile?: string; stackName?: string; file?: string; directoryName?: string };
  displayName?: string;
}

/** Reads a synthesized cloud assembly (a `cdk.out` folder): its stacks' templates and file assets. */
export function readCloudAssembly(dir: string): CloudAssembly {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath)) {
    throw new Error(`${root} is not a cloud assembly: it has no manifest.json (expected the output folder of "cdk synth", e.g. cdk.out)`);
  }
  const assembly: CloudAssembly = { dir: root, stacks: [], assets: [] };
  collect(root, assembly);
  if (assembly.stacks.length === 0) {
    throw new Error(`cloud assembly ${root} holds no CloudFormation stack artifact`);
  }
  return assembly;
}

function collect(dir: string, into: CloudAssembly): void {
  const manifest = readJson(join(dir, 'manifest.json')) as { artifacts?: Record<string, ManifestArtifact> };
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    switch (artifact.type) {
      case 'aws:cloudformation:stack': {
        if (!props.templateFile) throw new Error(`stack artifact ${artifactId} in ${dir}/manifest.json has no templateFile`);
        into.stacks.push({
          artifactId,
          stackName: props.stackName ?? artifactId,
          templateFile: join(dir, props.templateFile),
          template: readJson(join(dir, props.templateFile)) as CfnTemplate,
          environment: artifact.environment ?? 'aws://unknown-account/unknown-region',
        });
        break;
      }
      case 'cdk:asset-manifest':
        if (props.file) into.assets.push(...readAssetManifest(dir, join(dir, props.file)));
        break;
      case 'cdk:cloud-assembly':
        // Nested assemblies hold the stacks of CDK Stages.
        if (props.directoryName) collect(join(dir, props.directoryName), into);
        break;
      default:
        // Tree and metadata artifacts describe the construct tree; nothing runs from them.
        break;
    }
  }
}

function readAssetManifest(dir: string, file: string): FileAsset[] {
  const manifest = readJson(file) as {
    files?: Record<string, { source: { path?: string; packaging?: 'file' | 'zip' }; destinations: Record<string, { objectKey: string }> }>;
  };
  return Object.entries(manifest.files ?? {})
    .filter(([, asset]) => asset.source.path !== undefined)
    .map(([hash, asset]) => ({
      hash,
      path: join(dir, asset.source.path!),
      packaging: asset.source.packaging ?? 'file',
      objectKeys: Object.values(asset.destinations).map((d) => d.objectKey),
    }));
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `stack/logicalId` of every GraphQL API, in assembly order: the runtime serves API i on port i. */
export function graphqlApiKeys(assembly: CloudAssembly): string[] {
  return assembly.stacks.flatMap((s) =>
    Object.entries(s.template.Resources)
      .filter(([, r]) => r.Type === 'AWS::AppSync::GraphQLApi')
      .map(([logicalId]) => `${s.stackName}/${logicalId}`),
  );
}
