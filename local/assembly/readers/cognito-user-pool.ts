import type { ResourceReader } from './types.ts';

/** A pool with the app clients and groups that name it. */
export const cognitoUserPoolReader: ResourceReader = {
  type: 'AWS::Cognito::UserPool',
  parts: ['AWS::Cognito::UserPoolClient', 'AWS::Cognito::UserPoolGroup'],
  read(stack, logicalId, model) {
    const userPoolId = stack.ref(logicalId);
    const ofPool = (type: string) => stack.ofType(type).filter(([id]) => stack.propsOf(id).UserPoolId === userPoolId);
    model.userPools.push({
      stackName: stack.stackName,
      logicalId,
      userPoolId,
      properties: stack.propsOf(logicalId),
      clients: ofPool('AWS::Cognito::UserPoolClient').map(([id]) => ({ logicalId: id, clientId: stack.ref(id), properties: stack.propsOf(id) })),
      groups: ofPool('AWS::Cognito::UserPoolGroup').map(([id]) => ({ logicalId: id, name: stack.ref(id), properties: stack.propsOf(id) })),
    });
  },
};
