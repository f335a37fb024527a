import type { GraphQLError } from 'graphql';

/** A field error carrying AppSync's extra members; graphql-js keeps it as `originalError`. */
export class AppSyncFieldError extends Error {
  readonly errorType: string | null;
  readonly data: unknown;
  readonly errorInfo: unknown;

  constructor(message: string, errorType: string | null, data: unknown = null, errorInfo: unknown = null) {
    super(message);
    this.name = 'AppSyncFieldError';
    this.errorType = errorType;
    this.data = data;
    this.errorInfo = errorInfo;
  }
}

/** One entry of a GraphQL response's `errors`, in AppSync's shape. */
export interface AppSyncError {
  path: readonly (string | number)[] | null;
  data: unknown;
  errorType: string | null;
  errorInfo: unknown;
  locations: { line: number; column: number; sourceName: null }[];
  message: string;
}

export function toAppSyncError(error: GraphQLError): AppSyncError {
  const original = error.originalError instanceof AppSyncFieldError ? error.originalError : undefined;
  return {
    path: error.path ?? null,
    data: original?.data ?? null,
    errorType: original?.errorType ?? null,
    errorInfo: original?.errorInfo ?? null,
    locations: (error.locations ?? []).map(({ line, column }) => ({ line, column, sourceName: null })),
    message: error.message,
  };
}
