// `@aws-appsync/utils/ai` (NPM-U bedrock-helpers.d.ts): Bedrock Runtime requests.
import { requireObject } from '../util/arguments.ts';
import { deepFreeze } from '../util/index.ts';

export function createAiModule() {
  return deepFreeze({
    invokeModel: (payload: unknown) => ({ operation: 'InvokeModel', ...requireObject('ai.invokeModel', payload, 'the input') }),
    converse: (payload: unknown) => ({ operation: 'Converse', ...requireObject('ai.converse', payload, 'the input') }),
  });
}
