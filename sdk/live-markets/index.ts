/**
 * Live market state for any app on aws-amplify v6 — browser, Node or React Native: subscribe,
 * read a snapshot, apply publications in version order, catch up whatever was missed, and say
 * per market whether what it shows is current. See sdk/README.md.
 *
 *   Amplify.configure(outputs);
 *   const live = liveMarkets({ authMode: 'apiKey' });
 *   live.subscribe((change) => render(live.markets(), describeConnection(live.connection())));
 */
import { amplifyTransport, type AmplifyTransportOptions } from './amplify-transport.ts';
import { createLiveMarkets, type LiveMarkets, type LiveMarketsOptions } from './live-markets.ts';

export { amplifyTransport, type AmplifyTransportOptions, type AuthMode } from './amplify-transport.ts';
export { DEFAULT_LIMITS, type Limits } from './connection.ts';
export { clockTime, describeConnection, describeLiveness } from './describe.ts';
export { createLiveMarkets, systemClock, type Clock, type LiveMarkets, type LiveMarketsOptions } from './live-markets.ts';
export type { LiveTransport, TransportSink } from './transport.ts';
export type {
  AppliedVia,
  ConnectionStatus,
  EventUpdate,
  EventView,
  Heartbeat,
  LiveMarketsChange,
  MarketInfo,
  MarketLiveness,
  MarketView,
  PriceUpdate,
} from './types.ts';

/** Live markets over the process's configured Amplify (call `Amplify.configure` first). */
export function liveMarkets(options: AmplifyTransportOptions & Omit<LiveMarketsOptions, 'transport'> = {}): LiveMarkets {
  const { clock, limits, onForeground, ...transport } = options;
  return createLiveMarkets({ transport: amplifyTransport(transport), ...(clock && { clock }), ...(limits && { limits }), ...(onForeground && { onForeground }) });
}
