import type { Context } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';
import { raiseDataSourceError } from './lib/errors.ts';
import type { MarketItem, PriceUpdateItem } from './lib/items.ts';

/**
 * Market.selections: the market's selections (feed order) with their current price, taken from
 * the market's newest PriceUpdate in PricesTable (sort key descending, one item). The probability
 * is the market's own (the feed's latest), falling back to the one the price was made from.
 * A selection the newest update does not price has price null.
 */
export function request(ctx: Context<object, object, object, MarketItem>) {
  return ddb.query<PriceUpdateItem>({ query: { marketId: { eq: (ctx.source as MarketItem).id } }, scanIndexForward: false, limit: 1 });
}

export function response(ctx: Context<object, object, object, MarketItem>) {
  raiseDataSourceError(ctx);
  const latest: PriceUpdateItem | undefined = ctx.result && ctx.result.items ? ctx.result.items[0] : undefined;
  const priced = latest ? latest.selections : [];
  const market = ctx.source as MarketItem;
  return (market.selections || []).map((selection) => {
    const current = priced.find((p) => p.selectionId === selection.id);
    const probability = selection.probability ?? (current ? current.probability : null);
    return { id: selection.id, name: selection.name, probability, price: current ? current.price : null };
  });
}
