import type { Assumptions } from './assumptions.ts';
import { apiGatewayWebsocketUsd, appsyncEventsUsd, appsyncGraphqlUsd, dynamodbUsd, iotCoreUsd, lambdaUsd, quota } from './pricing.ts';
import type { PriceBook, WorkloadProfile } from './types.ts';
import { DAYS_PER_MONTH, gbSeconds, meteredMessages, readRequestUnits, writeRequestUnits } from './units.ts';

export interface AlternativeLimit {
  name: string;
  key: string;
  current: number;
  limit: number;
  /** Deliveries and fan-out grow as m², rates of publishes and connections as m. */
  breaksAtMultiple: number | null;
}

export interface PushAlternative {
  id: 'appsync-graphql' | 'apigateway-websocket' | 'iot-core-mqtt' | 'appsync-events';
  name: string;
  monthlyUsd: number;
  perMillionDeliveredUsd: number;
  /** What the monthly figure is made of. */
  parts: Record<string, number>;
  limits: AlternativeLimit[];
  notes: string;
}

/** How a quota's measure grows with the load multiple m. */
type Growth = 'linear' | 'quadratic';

function limitOf(prices: PriceBook, name: string, key: string, current: number, growth: Growth): AlternativeLimit {
  const limit = quota(prices, key);
  const ratio = current > 0 ? limit / current : Infinity;
  const multiple = Number.isFinite(ratio) ? (growth === 'linear' ? ratio : Math.sqrt(ratio)) : null;
  return { name, key, current, limit, breaksAtMultiple: multiple };
}

/**
 * The push side alone (publish → every subscriber), costed four ways for the same profile:
 * what the subscriptions of this app cost on AppSync, and what a rebuild on API Gateway
 * WebSocket with a Lambda fan-out, IoT Core MQTT over WebSocket, or AppSync Events would cost.
 * The ingest and pricing pipeline is the same for all four and is left out.
 */
export function pushAlternatives(profile: WorkloadProfile, a: Assumptions, prices: PriceBook): PushAlternative[] {
  const p = profile;
  const feedSeconds = p.feed.hoursPerDay * 3600 * DAYS_PER_MONTH;
  const publishes = p.priceUpdates.perSecond * feedSeconds;
  const deliveries = publishes * p.priceUpdates.fanout;
  const connections = p.clients.connected * p.clients.connectionsPerDay * DAYS_PER_MONTH;
  const subscribes = connections * p.clients.subscriptionsPerClient;
  const connectionMinutes = p.clients.connected * p.clients.hoursConnectedPerDay * 60 * DAYS_PER_MONTH;
  const payload = a.priceUpdatePayloadBytes.value;
  const units5k = meteredMessages(payload, 5120);
  const deliveriesPerSecond = p.priceUpdates.perSecond * p.priceUpdates.fanout;
  const connectedSeconds = p.clients.hoursConnectedPerDay * 3600;
  const connectsPerSecond = connectedSeconds > 0 ? (p.clients.connected * p.clients.connectionsPerDay) / connectedSeconds : 0;
  const millions = deliveries / 1e6;
  const build = (alt: Omit<PushAlternative, 'monthlyUsd' | 'perMillionDeliveredUsd'>): PushAlternative => {
    const monthlyUsd = Object.values(alt.parts).reduce((s, v) => s + v, 0);
    return { ...alt, monthlyUsd, perMillionDeliveredUsd: millions > 0 ? monthlyUsd / millions : 0 };
  };

  const appsync = appsyncGraphqlUsd(prices, { requests: publishes, realtimeUpdates: deliveries * units5k + connections + subscribes, connectionMinutes });

  // API Gateway: every delivery is a postToConnection from a fan-out Lambda, which reads the
  // market's subscribers from a DynamoDB registry kept by $connect / subscribe / $disconnect.
  const fanoutMs = 20 + p.priceUpdates.fanout * a.fanoutCallMs.value;
  const fanoutLambda = lambdaUsd(prices, { invocations: publishes + connections * 2, gbSeconds: gbSeconds(publishes, fanoutMs, 256) + gbSeconds(connections * 2, 20, 256), architecture: 'arm64' });
  const registry = dynamodbUsd(prices, {
    writeRequestUnits: (connections * 2 + subscribes * 2) * writeRequestUnits(a.connectionItemBytes.value),
    readRequestUnits: publishes * readRequestUnits(p.priceUpdates.fanout * a.connectionItemBytes.value, 'eventual'),
    storageGb: 0,
    pitrGb: 0,
    streamReadRequestUnits: 0,
  });
  const apigw = apiGatewayWebsocketUsd(prices, { messages: deliveries * meteredMessages(payload, 32 * 1024) + subscribes + connections, connectionMinutes });

  const iot = iotCoreUsd(prices, { messages: publishes * units5k + deliveries * units5k + subscribes + connections, connectionMinutes });
  const events = appsyncEventsUsd(prices, { operations: publishes * units5k + deliveries * units5k + connections + subscribes, connectionMinutes });

  return [
    build({
      id: 'appsync-graphql',
      name: 'AppSync GraphQL subscriptions (this app)',
      parts: { 'publish mutations': appsync.requests, 'real-time updates': appsync.realtimeUpdates, 'connection-minutes': appsync.connectionMinutes },
      limits: [
        limitOf(prices, 'outbound messages/s', 'appsync.outboundMessagesPerSecond', deliveriesPerSecond * units5k, 'quadratic'),
        limitOf(prices, 'inbound messages/s', 'appsync.inboundMessagesPerSecond', p.priceUpdates.perSecond, 'linear'),
        limitOf(prices, 'new connections/s', 'appsync.connectionsPerSecond', connectsPerSecond, 'linear'),
      ],
      notes: 'Filters, auth per subscription and fan-out are AppSync\'s; each delivery is metered in 5 KB units.',
    }),
    build({
      id: 'apigateway-websocket',
      name: 'API Gateway WebSocket + Lambda fan-out',
      parts: {
        'messages (32 KB units)': apigw.messages,
        'connection-minutes': apigw.connectionMinutes,
        'fan-out Lambda': fanoutLambda.requests + fanoutLambda.duration,
        'subscriber registry (DynamoDB)': registry.writes + registry.reads,
      },
      limits: [
        limitOf(prices, 'postToConnection calls/s (account throttle)', 'apigateway.requestsPerSecond', deliveriesPerSecond, 'quadratic'),
        limitOf(prices, 'new connections/s (account)', 'apigateway.newConnectionsPerSecond', connectsPerSecond, 'linear'),
        limitOf(prices, 'fan-out Lambda concurrency', 'lambda.concurrentExecutions', p.priceUpdates.perSecond * (fanoutMs / 1000), 'quadratic'),
      ],
      notes: `One postToConnection per delivery; the fan-out Lambda runs ~${Math.round(fanoutMs)} ms per update (assumed). Connections last at most 2 h; filters and auth per subscription are yours to build.`,
    }),
    build({
      id: 'iot-core-mqtt',
      name: 'IoT Core MQTT over WebSocket',
      parts: { 'messages (5 KB units, in and out)': iot.messages, 'connectivity minutes': iot.connectionMinutes },
      limits: [
        limitOf(prices, 'outbound publishes/s (account)', 'iot.outboundPublishesPerSecond', deliveriesPerSecond, 'quadratic'),
        limitOf(prices, 'connect requests/s (account)', 'iot.connectRequestsPerSecond', connectsPerSecond, 'linear'),
      ],
      notes: 'Topic per market; phones authenticate through Cognito identity pools or a custom authorizer; no GraphQL, no server-side filters beyond topics.',
    }),
    build({
      id: 'appsync-events',
      name: 'AppSync Events',
      parts: { 'operations (publish, delivery, connect, subscribe)': events.operations, 'connection-minutes': events.connectionMinutes },
      limits: [
        limitOf(prices, 'outbound messages/s', 'appsyncEvents.outboundMessagesPerSecond', deliveriesPerSecond * units5k, 'quadratic'),
        limitOf(prices, 'new connections/s', 'appsyncEvents.connectionsPerSecond', connectsPerSecond, 'linear'),
      ],
      notes: 'Channels per market; onPublish/onSubscribe handlers in APPSYNC_JS; no GraphQL types on the wire.',
    }),
  ];
}
