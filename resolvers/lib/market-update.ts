import { util, type Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import type { UserPoolCaller } from './caller.ts';
import { fieldOf } from './errors.ts';
import type { MarketItem } from './items.ts';

/**
 * What every trader change writes besides its own attribute: the version bump that clients'
 * expectedVersion compares against, and lastChange, which price-engine reads for
 * PriceUpdate.source. lastChange is replaced whole: a path update would fail on a market the
 * feed created without one.
 */
export function traderChange(caller: UserPoolCaller) {
  const now = util.time.nowISO8601();
  return {
    version: ddb.operations.increment(1),
    lastChange: ddb.operations.replace({ source: 'TRADER', by: caller.username, at: now }),
    updatedAt: now,
  };
}

/**
 * Optimistic concurrency lost: AppSync's ConditionalCheckFailedException, with the market as it
 * is now as the error's data (shaped by the client's selection set) and the versions in
 * errorInfo (not shaped), so a client can re-read and retry.
 */
export function versionConflict(ctx: Context, current: MarketItem, expectedVersion: number): never {
  return util.error(
    `${fieldOf(ctx)}: market ${current.id} is at version ${current.version}, not expectedVersion ${expectedVersion}; read it again and retry`,
    'DynamoDB:ConditionalCheckFailedException',
    current,
    { field: 'expectedVersion', expectedVersion, currentVersion: current.version },
  );
}
