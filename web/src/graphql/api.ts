import { generateClient } from 'aws-amplify/api';

/** The price board reads anonymously with the API key; the console acts as the signed-in user. */
export type AuthMode = 'apiKey' | 'userPool';

export interface Api {
  /** A query or mutation's `data`; rejects with what Amplify rejects with (see errors.ts). */
  request<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode): Promise<T>;
  /** Starts a subscription; `next` gets each message's `data`. Returns the unsubscribe. */
  subscribe<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode, observer: { next(data: T): void; error(error: unknown): void }): () => void;
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
    async request<T>(query: string, variables: Record<string, unknown>, authMode: AuthMode): Promise<T> {
      const result = (await graphql({ query, variables, authMode })) as { data: T };
      return result.data;
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
