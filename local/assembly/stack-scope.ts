import type { CfnResource, FileAsset, StackArtifact } from './cloud-assembly.ts';
import { resolveIntrinsics, type IntrinsicScope } from './intrinsics.ts';
import { identityRules, placeholderIdentity, type LocalEnvironment, type ResourceIdentity } from './physical-ids.ts';

/**
 * One stack as the resource readers see it: its resources' resolved properties, their local
 * identities (`Ref` and attributes, made on first use) and the intrinsics scope they resolve in.
 */
export interface StackScope {
  stack: StackArtifact;
  stackName: string;
  env: LocalEnvironment;
  /** The assembly's file assets, where code and schemas staged by CDK are found. */
  assets: FileAsset[];
  intrinsics: IntrinsicScope;
  /** The resource's `Properties` with every intrinsic resolved. */
  propsOf(logicalId: string): Record<string, unknown>;
  identity(logicalId: string, where: string): ResourceIdentity;
  /** What `Ref` of the resource gives. */
  ref(logicalId: string): string;
  /** The resources of a type whose `Condition` (if any) holds, in template order. */
  ofType(type: string): [string, CfnResource][];
}

export function stackScope(stack: StackArtifact, assets: FileAsset[], env: LocalEnvironment): StackScope {
  const { template, stackName } = stack;
  const resources = template.Resources;
  const identities = new Map<string, ResourceIdentity>();
  const resolving = new Set<string>();

  const intrinsics: IntrinsicScope = {
    ref: (name, where) => {
      const pseudo = pseudoParameter(name, stackName, env);
      if (pseudo !== undefined) return pseudo;
      const parameter = template.Parameters?.[name];
      if (parameter) {
        if (parameter.Default === undefined) throw new Error(`${where}: parameter ${name} has no default value to run with`);
        return parameter.Default;
      }
      return identity(name, where).ref;
    },
    getAtt: (logicalId, attribute, where) => {
      const value = identity(logicalId, where).attributes[attribute];
      if (value === undefined) {
        throw new Error(`${where}: ${logicalId} (${resources[logicalId]!.Type}) has no attribute ${attribute} in the local runtime`);
      }
      return value;
    },
    conditions: template.Conditions ?? {},
    mappings: template.Mappings ?? {},
  };

  const propsOf = (logicalId: string): Record<string, unknown> =>
    (resolveIntrinsics(resources[logicalId]!.Properties ?? {}, intrinsics, `${stackName}/${logicalId}.Properties`) ?? {}) as Record<string, unknown>;

  function identity(logicalId: string, where: string): ResourceIdentity {
    const known = identities.get(logicalId);
    if (known) return known;
    const resource = resources[logicalId];
    if (!resource) throw new Error(`${where}: refers to ${logicalId}, which is not a resource of stack ${stackName}`);
    if (resolving.has(logicalId)) throw new Error(`${where}: ${logicalId} refers to itself through intrinsics`);
    resolving.add(logicalId);
    const made = (identityRules[resource.Type] ?? placeholderIdentity)({ stackName, logicalId, resource, props: () => propsOf(logicalId), env });
    resolving.delete(logicalId);
    identities.set(logicalId, made);
    return made;
  }

  const isIncluded = (resource: CfnResource) =>
    !resource.Condition || resolveIntrinsics({ Condition: resource.Condition }, intrinsics, `${stackName}/Conditions`) === true;

  return {
    stack,
    stackName,
    env,
    assets,
    intrinsics,
    propsOf,
    identity,
    ref: (logicalId) => identity(logicalId, `${stackName}/${logicalId}`).ref,
    ofType: (type) => Object.entries(resources).filter(([, r]) => r.Type === type && isIncluded(r)),
  };
}

/** A property the resource must have to run locally. */
export function missing(where: string, what: string): never {
  throw new Error(`${where}: missing ${what}`);
}

function pseudoParameter(name: string, stackName: string, env: LocalEnvironment): string | undefined {
  switch (name) {
    case 'AWS::Region':
      return env.region;
    case 'AWS::AccountId':
      return env.accountId;
    case 'AWS::StackName':
      return stackName;
    case 'AWS::StackId':
      return `arn:aws:cloudformation:${env.region}:${env.accountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`;
    case 'AWS::Partition':
      return 'aws';
    case 'AWS::URLSuffix':
      return 'amazonaws.com';
    default:
      return undefined;
  }
}
