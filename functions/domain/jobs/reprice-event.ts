import { JobFailure, type JobItem, type JobPorts, type JobSteps } from './job.ts';
import { parseParams, requiredString } from './params.ts';

/**
 * REPRICE_EVENT { eventId }: every OPEN or SUSPENDED market of the event gets version + 1
 * and `lastChange` TRADER, which makes the price engine republish its prices. CLOSED and
 * SETTLED markets are skipped. One step per market.
 */
export async function* repriceEvent(job: JobItem, ports: JobPorts): JobSteps {
  const eventId = requiredString(parseParams(job), 'eventId', job.type);
  if (!(await ports.getEvent(eventId))) throw new JobFailure(`event ${eventId} does not exist`);
  const markets = await ports.listMarketsOfEvent(eventId);
  const steps = markets.length + 1;
  yield { progress: 1 / steps, message: `event ${eventId} has ${markets.length} market(s)` };

  const repriced: { marketId: string; version: number }[] = [];
  const skipped: { marketId: string; reason: string }[] = [];
  for (const [index, market] of markets.entries()) {
    let message: string;
    if (market.status !== 'OPEN' && market.status !== 'SUSPENDED') {
      skipped.push({ marketId: market.id, reason: market.status });
      message = `skipped market ${market.id}: ${market.status}`;
    } else {
      const version = await ports.repriceMarket(market.id, { source: 'TRADER', by: job.owner, at: ports.now() });
      if (version === undefined) {
        skipped.push({ marketId: market.id, reason: 'no longer OPEN or SUSPENDED' });
        message = `skipped market ${market.id}: no longer OPEN or SUSPENDED`;
      } else {
        repriced.push({ marketId: market.id, version });
        message = `repriced market ${market.id} at version ${version}`;
      }
    }
    yield { progress: (index + 2) / steps, message };
  }
  return { eventId, repriced, skipped };
}
