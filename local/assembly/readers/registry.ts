import { appsyncApiReader } from './appsync-api.ts';
import { cognitoUserPoolReader } from './cognito-user-pool.ts';
import { dynamodbTableReader } from './dynamodb-table.ts';
import { eventSourceMappingReader } from './event-source-mapping.ts';
import { eventsRuleReader } from './events-rule.ts';
import { iamRoleReader } from './iam-role.ts';
import { lambdaFunctionReader } from './lambda-function.ts';
import { sqsQueueReader } from './sqs-queue.ts';
import type { ResourceReader } from './types.ts';

/**
 * The resource types the model turns into something that runs, one reader each, run in this
 * order for every stack (an event source mapping looks for its table among those read before).
 * A type to support is a reader added here.
 */
export const RESOURCE_READERS: readonly ResourceReader[] = [
  dynamodbTableReader,
  iamRoleReader,
  lambdaFunctionReader,
  sqsQueueReader,
  eventSourceMappingReader,
  eventsRuleReader,
  cognitoUserPoolReader,
  appsyncApiReader,
];

/** Every type a reader reads, itself or as a part of another's resources. */
export const EMULATED_TYPES: ReadonlySet<string> = new Set(RESOURCE_READERS.flatMap((reader) => [reader.type, ...(reader.parts ?? [])]));
