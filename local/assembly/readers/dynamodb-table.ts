import type { TableModel } from '../model.ts';
import { missing } from '../stack-scope.ts';
import type { ResourceReader } from './types.ts';

export const dynamodbTableReader: ResourceReader = {
  type: 'AWS::DynamoDB::Table',
  read(stack, logicalId, model) {
    const p = stack.propsOf(logicalId);
    const stream = p.StreamSpecification as { StreamViewType?: TableModel['streamViewType'] } | undefined;
    const ttl = p.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
    if (!p.KeySchema || !p.AttributeDefinitions) missing(`${stack.stackName}/${logicalId}`, 'KeySchema and AttributeDefinitions');
    model.tables.push({
      stackName: stack.stackName,
      logicalId,
      tableName: stack.ref(logicalId),
      keySchema: p.KeySchema as TableModel['keySchema'],
      attributeDefinitions: p.AttributeDefinitions as TableModel['attributeDefinitions'],
      ...(p.GlobalSecondaryIndexes !== undefined && { globalSecondaryIndexes: p.GlobalSecondaryIndexes as TableModel['globalSecondaryIndexes'] }),
      ...(p.LocalSecondaryIndexes !== undefined && { localSecondaryIndexes: p.LocalSecondaryIndexes as TableModel['localSecondaryIndexes'] }),
      ...(stream?.StreamViewType && { streamViewType: stream.StreamViewType }),
      ...(ttl?.Enabled && ttl.AttributeName && { timeToLiveAttribute: ttl.AttributeName }),
    });
  },
};
