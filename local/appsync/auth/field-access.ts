import type { GraphQLSchema } from 'graphql';
import type { AuthenticationType } from '../../assembly/model.ts';
import { evaluatePolicies } from '../../iam/policy.ts';
import type { Caller } from './caller.ts';
import { createFieldAuthorizer } from './directives.ts';

export type { Caller } from './caller.ts';

/**
 * Whether a caller may resolve a field: the schema's auth directives; for AWS_IAM callers of a
 * root field also the role's `appsync:GraphQL` permission on the field's ARN
 * (`arn:aws:appsync:<region>:<account>:apis/<apiId>/types/<Type>/fields/<field>`); for a
 * Lambda-authorized caller, not one of the authorizer's `deniedFields`.
 */
export function createFieldAccess(schema: GraphQLSchema, defaultMode: AuthenticationType, apiArn: string) {
  const directives = createFieldAuthorizer(schema, defaultMode);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name].filter(Boolean));
  return function mayResolve(typeName: string, fieldName: string, caller: Caller): boolean {
    if (!directives.isAllowed(typeName, fieldName, caller)) return false;
    // The ARN only for the callers that need it: this runs for every field of every response.
    const fieldArn = () => `${apiArn}/types/${typeName}/fields/${fieldName}`;
    if (caller.deniedFields && (caller.deniedFields.has(`${typeName}.${fieldName}`) || caller.deniedFields.has(fieldArn()))) return false;
    if (caller.authType !== 'AWS_IAM' || !roots.has(typeName)) return true;
    return evaluatePolicies(caller.iamPolicies ?? [], 'appsync:GraphQL', fieldArn()) === 'allow';
  };
}

export type FieldAccess = ReturnType<typeof createFieldAccess>;
