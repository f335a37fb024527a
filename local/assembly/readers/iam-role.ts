import type { ResourceReader } from './types.ts';

/** A role with its inline policies and the AWS::IAM::Policy documents attached to it. */
export const iamRoleReader: ResourceReader = {
  type: 'AWS::IAM::Role',
  parts: ['AWS::IAM::Policy'],
  read(stack, logicalId, model) {
    const props = stack.propsOf(logicalId);
    const roleName = stack.ref(logicalId);
    const inline = ((props.Policies as { PolicyDocument: unknown }[] | undefined) ?? []).map((p) => p.PolicyDocument);
    const attached = stack
      .ofType('AWS::IAM::Policy')
      .map(([id]) => stack.propsOf(id))
      .filter((p) => ((p.Roles as string[] | undefined) ?? []).includes(roleName))
      .map((p) => p.PolicyDocument);
    model.roles.push({
      stackName: stack.stackName,
      logicalId,
      roleName,
      arn: stack.identity(logicalId, logicalId).attributes.Arn!,
      assumeRolePolicy: props.AssumeRolePolicyDocument,
      policyDocuments: [...inline, ...attached],
    });
  },
};
