import { isObjectType, type GraphQLSchema } from 'graphql';
import type { CodeModel, GraphqlApiModel } from '../assembly/model.ts';
import { BoundedCache } from '../support/bounded-cache.ts';
import { CodeRejectedError, compileHandlerCode, formatProblem, type CompiledCode, type PassedChecks, type ResolverDefinition } from './js/index.ts';

const MAX_PIPELINE_FUNCTIONS = 10;

/**
 * Checked code by origin and text: a reload compiles only the handlers that changed. Compiled
 * code holds no state between calls (each call gets a fresh module instance), so versions share it.
 */
const checked = new BoundedCache<string, CompiledCode | CodeRejectedError>(2000);

function checkedCode(code: CodeModel, passed: PassedChecks | undefined): CompiledCode | CodeRejectedError {
  return checked.getOrCreate(`${code.origin}\u0000${code.code}`, () => {
    try {
      return compileHandlerCode(code.code, code.origin, passed);
    } catch (error) {
      if (error instanceof CodeRejectedError) return error;
      throw error;
    }
  });
}

/**
 * Checks and loads every resolver and function of an API the way AppSync does when they are
 * saved. All problems are gathered and reported together, each naming the resolver, the
 * position in the deployed code, the original source position when a source map tells it,
 * and the rule, so one run shows everything to fix.
 */
export interface CompiledResolvers {
  /** Keyed `Type.field`. */
  resolvers: Map<string, ResolverDefinition>;
  /** Fields whose resolver cannot run locally (VTL, another runtime), with the reason: they fail when resolved. */
  unsupported: Map<string, string>;
}

/** `passed`: code that passed the checks in an earlier run (js/check/passed-checks.ts). */
export function compileResolvers(api: GraphqlApiModel, schema: GraphQLSchema, passed?: PassedChecks): CompiledResolvers {
  const problems: string[] = [];
  const unsupported = new Map<string, string>();
  const modules = new Map<CodeModel, CompiledCode>();
  const load = (code: CodeModel): CompiledCode | undefined => {
    if (modules.has(code)) return modules.get(code);
    const module = checkedCode(code, passed);
    if (module instanceof CodeRejectedError) {
      for (const p of module.problems) problems.push(`${code.origin}: ${formatProblem(p)}`);
      return undefined;
    }
    modules.set(code, module);
    return module;
  };

  const resolvers = new Map<string, ResolverDefinition>();
  for (const r of api.resolvers) {
    const name = `${r.typeName}.${r.fieldName}`;
    const type = schema.getType(r.typeName);
    if (!type || !isObjectType(type) || !type.getFields()[r.fieldName]) {
      problems.push(`resolver ${name}: the schema has no field ${r.fieldName} on type ${r.typeName}`);
      continue;
    }
    const notRunnable = [r.code, ...r.functionIds.map((id) => api.functions.get(id)?.code)].find((code) => code?.unsupported);
    if (notRunnable) {
      unsupported.set(name, `${notRunnable.origin}: ${notRunnable.unsupported}`);
      continue;
    }
    if (r.kind === 'PIPELINE') {
      if (r.functionIds.length > MAX_PIPELINE_FUNCTIONS) {
        problems.push(`resolver ${name}: a pipeline has at most ${MAX_PIPELINE_FUNCTIONS} functions; it has ${r.functionIds.length}`);
        continue;
      }
      const module = load(r.code!);
      const functions = r.functionIds.map((id) => {
        const fn = api.functions.get(id);
        if (!fn) {
          problems.push(`resolver ${name}: pipeline function ${id} is not defined in the API`);
          return undefined;
        }
        if (!api.dataSources.has(fn.dataSourceName)) problems.push(`function ${fn.name}: data source ${fn.dataSourceName} is not defined in the API`);
        const fnModule = load(fn.code);
        return fnModule && { name: fn.name, dataSourceName: fn.dataSourceName, code: fnModule, maxBatchSize: fn.maxBatchSize };
      });
      if (module && functions.every(Boolean)) {
        resolvers.set(name, { kind: 'PIPELINE', typeName: r.typeName, fieldName: r.fieldName, code: module, functions: functions as NonNullable<(typeof functions)[number]>[] });
      }
    } else {
      if (!r.dataSourceName || !api.dataSources.has(r.dataSourceName)) {
        problems.push(`resolver ${name}: data source ${r.dataSourceName ?? '(none)'} is not defined in the API`);
        continue;
      }
      const module = r.code ? load(r.code) : undefined;
      if (r.code && !module) continue;
      resolvers.set(name, { kind: 'UNIT', typeName: r.typeName, fieldName: r.fieldName, dataSourceName: r.dataSourceName, maxBatchSize: r.maxBatchSize, ...(module && { code: module }) });
    }
  }
  if (problems.length > 0) {
    throw new Error(`AppSync would refuse ${problems.length === 1 ? 'this resolver code' : `these ${problems.length} problems in resolver code`}:\n  ${problems.join('\n  ')}`);
  }
  return { resolvers, unsupported };
}
