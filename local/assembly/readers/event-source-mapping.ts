import type { EventSourceMappingModel } from '../model.ts';
import { missing } from '../stack-scope.ts';
import type { ResourceReader } from './types.ts';

/** Read after the tables: a mapping notes which table of the assembly its stream belongs to. */
export const eventSourceMappingReader: ResourceReader = {
  type: 'AWS::Lambda::EventSourceMapping',
  read(stack, logicalId, model) {
    const p = stack.propsOf(logicalId);
    const where = `${stack.stackName}/${logicalId}`;
    const eventSourceArn = String(p.EventSourceArn ?? missing(where, 'EventSourceArn'));
    const tableName = /^arn:aws:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\//.exec(eventSourceArn)?.[1];
    const destination = (p.DestinationConfig as { OnFailure?: { Destination?: string } } | undefined)?.OnFailure?.Destination;
    const filters = (p.FilterCriteria as { Filters?: { Pattern?: string }[] } | undefined)?.Filters ?? [];
    model.eventSourceMappings.push({
      stackName: stack.stackName,
      logicalId,
      uuid: stack.ref(logicalId),
      functionName: String(p.FunctionName ?? missing(where, 'FunctionName')).replace(/^arn:aws:lambda:[^:]*:[^:]*:function:/, ''),
      eventSourceArn,
      ...(tableName && model.tables.some((t) => t.tableName === tableName) && { sourceTableName: tableName }),
      enabled: p.Enabled !== false,
      batchSize: Number(p.BatchSize ?? 100),
      maximumBatchingWindowSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
      startingPosition: (p.StartingPosition as EventSourceMappingModel['startingPosition'] | undefined) ?? 'LATEST',
      maximumRetryAttempts: Number(p.MaximumRetryAttempts ?? -1),
      bisectBatchOnFunctionError: p.BisectBatchOnFunctionError === true,
      maximumRecordAgeSeconds: Number(p.MaximumRecordAgeInSeconds ?? -1),
      ...(destination && { onFailureDestination: destination }),
      functionResponseTypes: (p.FunctionResponseTypes as string[] | undefined) ?? [],
      filterPatterns: filters.map((f) => JSON.parse(f.Pattern ?? '{}')),
      parallelizationFactor: Number(p.ParallelizationFactor ?? 1),
    });
  },
};
