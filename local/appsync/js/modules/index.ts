// The modules handler code may import, by path, and what each exports at run time
// (NPM-U: `@aws-appsync/utils` and its `dynamodb`, `rds`, `ai` entry points).
import { createExtensions, createRuntime } from '../extensions.ts';
import { createUtil } from '../util/index.ts';
import { createAiModule } from './ai.ts';
import { createDynamodbModule } from './dynamodb.ts';
import { createRdsModule } from './rds.ts';

export const UTILS_MODULE = '@aws-appsync/utils';

export interface RuntimeModules {
  readonly util: ReturnType<typeof createUtil>;
  readonly extensions: ReturnType<typeof createExtensions>;
  readonly runtime: ReturnType<typeof createRuntime>;
  /** Module path → its exports. */
  readonly byPath: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

let shared: RuntimeModules | undefined;

/** One frozen set for the whole process: the objects hold no state of their own. */
export function runtimeModules(): RuntimeModules {
  if (!shared) {
    const util = createUtil();
    const extensions = createExtensions();
    const runtime = createRuntime();
    shared = Object.freeze({
      util,
      extensions,
      runtime,
      byPath: Object.freeze({
        [UTILS_MODULE]: Object.freeze({ util, extensions, runtime }),
        [`${UTILS_MODULE}/dynamodb`]: createDynamodbModule(),
        [`${UTILS_MODULE}/rds`]: createRdsModule(),
        [`${UTILS_MODULE}/ai`]: createAiModule(),
      }),
    });
  }
  return shared;
}
