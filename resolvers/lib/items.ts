// The tables' items, as docs/data-model.md stores them.
export type { EventItem, JobItem, MarketItem, MarketSelection as MarketSelectionItem, PriceUpdateItem } from '../../schema/items.ts';
