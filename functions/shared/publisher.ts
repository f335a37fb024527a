import { createAppSyncClient, type AppSyncClient } from '../../sdk/appsync-client.ts';
import { PUBLISH_EVENT_UPDATE, PUBLISH_HEARTBEAT, PUBLISH_JOB_UPDATE, PUBLISH_PRICE_UPDATE } from '../../client/operations/documents.ts';
import type {
  PublishEventUpdateInput,
  PublishEventUpdateMutation,
  PublishEventUpdateMutationVariables,
  PublishHeartbeatInput,
  PublishHeartbeatMutation,
  PublishHeartbeatMutationVariables,
  PublishJobUpdateInput,
  PublishJobUpdateMutation,
  PublishJobUpdateMutationVariables,
  PublishPriceUpdateMutation,
  PublishPriceUpdateMutationVariables,
} from '../../client/generated/operations.ts';
import type { JobItem } from '../domain/jobs/job.ts';
import type { PriceUpdate } from '../domain/pricing/price-update.ts';

/** The publish mutations, signed with the function's execution-role credentials from the Lambda environment. */
export interface Publisher {
  publishPriceUpdate(update: PriceUpdate): Promise<void>;
  publishJobUpdate(job: JobItem): Promise<void>;
  publishHeartbeat(heartbeat: PublishHeartbeatInput): Promise<void>;
  publishEventUpdate(update: PublishEventUpdateInput): Promise<void>;
}

export function createPublisher(graphqlUrl: string, client: AppSyncClient = createAppSyncClient({ endpoint: graphqlUrl, auth: { type: 'AWS_IAM' } })): Publisher {
  return {
    async publishPriceUpdate(update) {
      await client.request<PublishPriceUpdateMutation, PublishPriceUpdateMutationVariables>(PUBLISH_PRICE_UPDATE, { input: update });
    },
    async publishJobUpdate(job) {
      await client.request<PublishJobUpdateMutation, PublishJobUpdateMutationVariables>(PUBLISH_JOB_UPDATE, { input: jobUpdateInput(job) });
    },
    async publishHeartbeat(heartbeat) {
      await client.request<PublishHeartbeatMutation, PublishHeartbeatMutationVariables>(PUBLISH_HEARTBEAT, { input: heartbeat });
    },
    async publishEventUpdate(update) {
      await client.request<PublishEventUpdateMutation, PublishEventUpdateMutationVariables>(PUBLISH_EVENT_UPDATE, { input: update });
    },
  };
}

/** PublishJobUpdateInput from a job item: exactly the schema's fields, nulls for absent ones. */
export function jobUpdateInput(job: JobItem): PublishJobUpdateInput {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    owner: job.owner,
    params: job.params ?? null,
    progress: job.progress,
    message: job.message ?? null,
    result: job.result ?? null,
    error: job.error ?? null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
  };
}
