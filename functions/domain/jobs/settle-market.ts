import { settlementProblem } from '../market/market.ts';
import { JobFailure, type JobItem, type JobPorts, type JobSteps } from './job.ts';
import { parseParams, requiredString, requiredStringList } from './params.ts';

/**
 * SETTLE_MARKET { marketId, winningSelectionIds }: the market becomes SETTLED with its
 * result (version + 1, `lastChange` TRADER). The price engine sees the status change and
 * publishes the final SETTLED price update, whose resolver invalidates the market's
 * onPriceUpdate subscriptions.
 */
export async function* settleMarket(job: JobItem, ports: JobPorts): JobSteps {
  const params = parseParams(job);
  const marketId = requiredString(params, 'marketId', job.type);
  const winners = requiredStringList(params, 'winningSelectionIds', job.type);
  const market = await ports.getMarket(marketId);
  if (!market) throw new JobFailure(`market ${marketId} does not exist`);
  const problem = settlementProblem(market, winners);
  if (problem) throw new JobFailure(problem.reason);
  yield { progress: 0.5, message: `result of market ${marketId} checked: ${winners.join(', ')} won` };

  const version = await ports.settleMarket(marketId, market.version, winners, { source: 'TRADER', by: job.owner, at: ports.now() });
  if (version === undefined) throw new JobFailure(`market ${marketId} changed while it was being settled (it was at version ${market.version}); start the job again`);
  yield { progress: 1, message: `market ${marketId} SETTLED at version ${version}` };
  return { marketId, winningSelectionIds: winners, version };
}
