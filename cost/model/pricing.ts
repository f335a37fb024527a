import type { PriceBook } from './types.ts';

/** Per-service pricing: quantities a month in, dollars out. Each function prices one service's meters. */

export function unitPrice(prices: PriceBook, key: string): number {
  const entry = prices.prices[key];
  if (!entry) throw new Error(`prices file has no "${key}" (expected an entry { usd, unit, source, read } under "prices")`);
  return entry.usd;
}

export function unitValue(prices: PriceBook, key: string): number {
  const entry = prices.prices[key];
  if (entry?.value === undefined) throw new Error(`prices file has no value for "${key}" (expected { value, ... } under "prices")`);
  return entry.value;
}

export function quota(prices: PriceBook, key: string): number {
  const entry = prices.quotas[key];
  if (!entry) throw new Error(`prices file has no quota "${key}" (expected { value, adjustable, source, read } under "quotas")`);
  return entry.value;
}

const perMillion = (count: number, usd: number) => (count / 1e6) * usd;

export function appsyncGraphqlUsd(prices: PriceBook, usage: { requests: number; realtimeUpdates: number; connectionMinutes: number }) {
  return {
    requests: perMillion(usage.requests, unitPrice(prices, 'appsync.requestPerMillion')),
    realtimeUpdates: perMillion(usage.realtimeUpdates, unitPrice(prices, 'appsync.realtimeUpdatePerMillion')),
    connectionMinutes: perMillion(usage.connectionMinutes, unitPrice(prices, 'appsync.connectionMinutePerMillion')),
  };
}

export function appsyncEventsUsd(prices: PriceBook, usage: { operations: number; connectionMinutes: number }) {
  return {
    operations: perMillion(usage.operations, unitPrice(prices, 'appsyncEvents.operationPerMillion')),
    connectionMinutes: perMillion(usage.connectionMinutes, unitPrice(prices, 'appsyncEvents.connectionMinutePerMillion')),
  };
}

export function lambdaUsd(prices: PriceBook, usage: { invocations: number; gbSeconds: number; architecture: 'arm64' | 'x86_64' }) {
  return {
    requests: perMillion(usage.invocations, unitPrice(prices, 'lambda.requestPerMillion')),
    duration: usage.gbSeconds * unitPrice(prices, `lambda.gbSecond.${usage.architecture}`),
  };
}

export function dynamodbUsd(prices: PriceBook, usage: { writeRequestUnits: number; readRequestUnits: number; storageGb: number; pitrGb: number; streamReadRequestUnits: number }) {
  return {
    writes: perMillion(usage.writeRequestUnits, unitPrice(prices, 'dynamodb.writeRequestUnitPerMillion')),
    reads: perMillion(usage.readRequestUnits, unitPrice(prices, 'dynamodb.readRequestUnitPerMillion')),
    storage: usage.storageGb * unitPrice(prices, 'dynamodb.storageGbMonth'),
    pitr: usage.pitrGb * unitPrice(prices, 'dynamodb.pitrGbMonth'),
    streams: perMillion(usage.streamReadRequestUnits, unitPrice(prices, 'dynamodb.streamReadRequestUnitPerMillion')),
  };
}

/** Essentials tier: the first 10,000 MAU are part of the tier; the rest are priced each. */
export function cognitoUsd(prices: PriceBook, monthlyActiveUsers: number): number {
  const included = unitValue(prices, 'cognito.essentialsFreeMau');
  return Math.max(0, monthlyActiveUsers - included) * unitPrice(prices, 'cognito.essentialsMauAbove10k');
}

export function cloudwatchUsd(prices: PriceBook, usage: { logsIngestedGb: number; logsStoredGb: number; alarms: number }) {
  return {
    logsIngested: usage.logsIngestedGb * unitPrice(prices, 'cloudwatch.logsIngestedGb'),
    logsStored: usage.logsStoredGb * unitPrice(prices, 'cloudwatch.logsStoredGbMonth'),
    alarms: usage.alarms * unitPrice(prices, 'cloudwatch.alarmMetricMonth'),
  };
}

export function xrayUsd(prices: PriceBook, tracesRecorded: number): number {
  return perMillion(tracesRecorded, unitPrice(prices, 'xray.tracesRecordedPerMillion'));
}

export function dataTransferUsd(prices: PriceBook, gbOut: number): number {
  return gbOut * unitPrice(prices, 'dataTransfer.outToInternetGb');
}

export function apiGatewayWebsocketUsd(prices: PriceBook, usage: { messages: number; connectionMinutes: number }) {
  return {
    messages: perMillion(usage.messages, unitPrice(prices, 'apigateway.websocketMessagePerMillion')),
    connectionMinutes: perMillion(usage.connectionMinutes, unitPrice(prices, 'apigateway.websocketConnectionMinutePerMillion')),
  };
}

export function iotCoreUsd(prices: PriceBook, usage: { messages: number; connectionMinutes: number }) {
  return {
    messages: perMillion(usage.messages, unitPrice(prices, 'iot.messagePerMillion')),
    connectionMinutes: perMillion(usage.connectionMinutes, unitPrice(prices, 'iot.connectivityMinutePerMillion')),
  };
}
