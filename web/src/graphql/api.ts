import { generateClient } from 'aws-amplify/api';

/** The price board reads anonymously with the API key; the console acts as the signed-in user. */
export type AuthMode = 'apiKey' | 'userPool';

export interface Api {
  /**
   * A query or mutation's `data`; rejects with what Amplify rejects with (see errors.ts). With
   * `timeoutMs`, a request that has not answered by then is cancelled (its fetch aborted) and
   * rejects saying so.
   */
  request<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode, options?: { timeoutMs?: number }): Promise<T>;
  /** Starts a subscription; `next` gets each message's `data`. Returns the unsubscribe. */
  subscribe<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode, observer: { next(data: T): void; error(error: unknown): void }): () => void;
}

function operationName(query: string): string {
  return /^\s*(query|mutation)\s+(\w+)/.exec(query)?.[2] ?? 'request';
}

interface Observable<T> {
  subscribe(observer: { next(value: { data: T }): void; error(error: unknown): void }): { unsubscribe(): void };
}

/** Amplify's GraphQL client (call after Amplify.configure), narrowed to what this app uses. */
export function createApi(): Api {
  const client = generateClient();
  // client.graphql's overloads type its result from typed documents; these are plain strings.
  const graphql = client.graphql.bind(client) as unknown as (options: { query: string; variables: Record<string, unknown>; authMode: AuthMode }) => unknown;
  return {
    async request<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode, options: { timeoutMs?: number } = {}): Promise<T> {
      const pending = graphql({ query, variables, authMode }) as Promise<{ data: T }>;
      if (options.timeoutMs === undefined) return (await pending).data;
      // Aborting the fetch frees its connection: on a path that died silently, the browser would
      // otherwise keep the socket busy for minutes and queue the next requests behind it.
      const timer = setTimeout(() => client.cancel(pending, `no answer within ${options.timeoutMs} ms`), options.timeoutMs);
      try {
        return (await pending).data;
      } catch (error) {
        if (client.isCancelError(error)) throw new Error(`${operationName(query)} did not answer within ${options.timeoutMs} ms (cancelled)`, { cause: error });
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    subscribe<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode, observer: { next(data: T): void; error(error: unknown): void }) {
      const subscription = (graphql({ query, variables, authMode }) as Observable<T>).subscribe({
        next: ({ data }) => observer.next(data),
        error: (error) => observer.error(error),
      });
      return () => subscription.unsubscribe();
    },
  };
}
