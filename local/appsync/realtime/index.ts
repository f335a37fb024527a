export { createRealtimeServer, REALTIME_DEFAULTS } from './server.ts';
export type {
  AuthVerdict,
  RealtimeEngine,
  RealtimeServer,
  RealtimeServerOptions,
  RealtimeStats,
  SlowConsumerPolicy,
  SubscriptionStartRequest,
  SubscriptionStartVerdict,
} from './types.ts';
