import type { Page, WebSocketRoute } from 'playwright-core';

export interface RealtimeSwitch {
  /** Closes the page's live real-time connection (as a network failure would) and holds new ones. */
  drop(): Promise<void>;
  /** Lets held and future connections through to the server. */
  release(): void;
  /** How many connections the page has opened so far. */
  opened(): number;
}

/**
 * Sits between the page and the real-time endpoint (Playwright routes the page's WebSockets):
 * connections pass through to the real server until `drop`, which closes the current one; while
 * held, a new connection stays open towards the page with its frames queued (Amplify waits 15 s for
 * connection_ack), and `release` connects it and delivers them. So a test decides exactly when the
 * client is cut off and when it gets back.
 */
export async function routeRealtime(page: Page, url: RegExp): Promise<RealtimeSwitch> {
  let held = false;
  let current: WebSocketRoute | undefined;
  let count = 0;
  const waiting: (() => void)[] = [];

  await page.routeWebSocket(url, (ws) => {
    count += 1;
    current = ws;
    if (!held) {
      ws.connectToServer();
      return;
    }
    const queued: (string | Buffer)[] = [];
    ws.onMessage((message) => queued.push(message));
    waiting.push(() => {
      const server = ws.connectToServer();
      ws.onMessage((message) => server.send(message));
      for (const message of queued.splice(0)) server.send(message);
    });
  });

  return {
    async drop() {
      held = true;
      if (!current) throw new Error('the page has no real-time connection to drop');
      await current.close({ code: 4000, reason: 'dropped by the test' });
    },
    release() {
      held = false;
      for (const connect of waiting.splice(0)) connect();
    },
    opened: () => count,
  };
}
