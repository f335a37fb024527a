/** One error as AppSync reports it: the type the client acts on, and what the server said. */
export interface ApiError {
  errorType: string | null;
  message: string;
  errorInfo?: unknown;
  data?: unknown;
}

/** A trader mutation that lost the optimistic-concurrency race: where the market is now. */
export interface VersionConflict {
  currentVersion: number;
  expectedVersion: number | null;
  message: string;
}

const CONNECTION_FAILED = 'Connection failed: ';
const CONFLICT = 'DynamoDB:ConditionalCheckFailedException';

/**
 * The AppSync errors inside whatever Amplify rejected with:
 * - a GraphQL response with `errors` (Amplify throws the response itself), each with AppSync's
 *   `errorType`, `message`, `errorInfo`, `data`;
 * - an HTTP failure, wrapped as a GraphQLError whose `originalError` is Amplify's REST error (its
 *   `name` from `x-amzn-errortype`, the AppSync body in `response.body`);
 * - a subscription failure: `Connection failed: <the error frame's payload as JSON>`;
 * - anything else thrown (sign-in errors carry the Cognito exception as `name`).
 */
export function apiErrors(error: unknown): ApiError[] {
  const errors = isRecord(error) && Array.isArray(error.errors) ? error.errors : undefined;
  if (!errors) return [plainError(error)];
  return errors.flatMap((entry: unknown): ApiError[] => {
    if (!isRecord(entry)) return [plainError(entry)];
    const message = typeof entry.message === 'string' ? entry.message : JSON.stringify(entry);
    if (typeof entry.errorType === 'string') return [{ errorType: entry.errorType, message, errorInfo: entry.errorInfo, data: entry.data }];
    if (message.startsWith(CONNECTION_FAILED)) {
      const frame = parseJson(message.slice(CONNECTION_FAILED.length));
      if (frame !== undefined) return apiErrors(isRecord(frame) && 'errors' in frame ? frame : { errors: [frame] });
    }
    if (isRecord(entry.originalError)) return fromHttpError(entry.originalError);
    return [{ errorType: null, message }];
  });
}

/** `errorType: message`, the line shown to the user. */
export function describeError(error: ApiError): string {
  return error.errorType ? `${error.errorType}: ${error.message}` : error.message;
}

/**
 * setMargin / setMarketStatus refused because the market moved on: AppSync's
 * ConditionalCheckFailedException, with the versions in errorInfo and the market as it is now as
 * the error's data.
 */
export function versionConflict(errors: ApiError[]): VersionConflict | undefined {
  const conflict = errors.find((e) => e.errorType === CONFLICT);
  if (!conflict) return undefined;
  const info = isRecord(conflict.errorInfo) ? conflict.errorInfo : {};
  const data = isRecord(conflict.data) ? conflict.data : {};
  const currentVersion = typeof info.currentVersion === 'number' ? info.currentVersion : typeof data.version === 'number' ? data.version : undefined;
  if (currentVersion === undefined) return undefined;
  return { currentVersion, expectedVersion: typeof info.expectedVersion === 'number' ? info.expectedVersion : null, message: conflict.message };
}

function fromHttpError(original: Record<string, unknown>): ApiError[] {
  const response = isRecord(original.response) ? original.response : {};
  const body = typeof response.body === 'string' ? parseJson(response.body) : undefined;
  if (isRecord(body) && Array.isArray(body.errors) && body.errors.length > 0) return apiErrors(body);
  return [{ errorType: typeof original.name === 'string' ? original.name : null, message: typeof original.message === 'string' ? original.message : 'request failed' }];
}

function plainError(error: unknown): ApiError {
  if (error instanceof Error) return { errorType: error.name === 'Error' ? null : error.name, message: error.message };
  return { errorType: null, message: typeof error === 'string' ? error : JSON.stringify(error) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
