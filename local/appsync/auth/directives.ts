import type { ConstDirectiveNode, GraphQLSchema } from 'graphql';
import type { AuthenticationType } from '../../assembly/model.ts';
import { memoByField } from '../../support/field-memo.ts';
import type { Caller } from './caller.ts';

/** Which auth modes may resolve one field, and for user pools which groups. */
export type FieldAuthRule = Map<AuthenticationType, { groups?: string[] }>;

const DIRECTIVE_MODES: Record<string, AuthenticationType> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

/**
 * AppSync's directive rules: directives on a field replace those of its type; directives on
 * a type apply to its fields that have none; a field and type with none allow only the
 * API's default mode. `cognito_groups` narrows user-pool access to members of those groups.
 */
export function createFieldAuthorizer(schema: GraphQLSchema, defaultMode: AuthenticationType) {
  const ruleFor = memoByField((typeName, fieldName): FieldAuthRule => {
    const type = schema.getType(typeName);
    const field = type && 'getFields' in type ? (type.getFields() as Record<string, { astNode?: { directives?: readonly ConstDirectiveNode[] } | null }>)[fieldName] : undefined;
    const typeNodes = type ? [type.astNode, ...(type.extensionASTNodes ?? [])] : [];
    const typeDirectives = typeNodes.flatMap((node) => (node && 'directives' in node ? (node.directives ?? []) : []));
    return modesOf(field?.astNode?.directives ?? []) ?? modesOf(typeDirectives) ?? new Map([[defaultMode, {}]]);
  });

  return {
    ruleFor,
    isAllowed(typeName: string, fieldName: string, caller: Pick<Caller, 'authType' | 'groups'>): boolean {
      const grant = ruleFor(typeName, fieldName).get(caller.authType);
      if (!grant) return false;
      return !grant.groups || grant.groups.some((group) => caller.groups?.includes(group));
    },
  };
}

export type FieldAuthorizer = ReturnType<typeof createFieldAuthorizer>;

function modesOf(directives: readonly ConstDirectiveNode[]): FieldAuthRule | undefined {
  const rule: FieldAuthRule = new Map();
  for (const directive of directives) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (!mode) continue;
    const groupsArg = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
    const groups = groupsArg?.value.kind === 'ListValue' ? groupsArg.value.values.flatMap((v) => (v.kind === 'StringValue' ? [v.value] : [])) : undefined;
    const previous = rule.get(mode);
    rule.set(mode, groups && !(previous && !previous.groups) ? { groups: [...(previous?.groups ?? []), ...groups] } : {});
  }
  return rule.size > 0 ? rule : undefined;
}

export function unauthorizedFieldMessage(typeName: string, fieldName: string): string {
  return `Not Authorized to access ${fieldName} on type ${typeName}`;
}
