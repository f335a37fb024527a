import type { ResourceReader } from './types.ts';

export const sqsQueueReader: ResourceReader = {
  type: 'AWS::SQS::Queue',
  read(stack, logicalId, model) {
    const attrs = stack.identity(logicalId, logicalId).attributes;
    model.queues.push({ stackName: stack.stackName, logicalId, queueName: attrs.QueueName!, arn: attrs.Arn!, url: attrs.QueueUrl! });
  },
};
