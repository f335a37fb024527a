/**
 * Evaluates identity policies the way IAM does for one action on one resource: an explicit
 * Deny wins, otherwise an Allow is needed. Statements with a `Condition` are not evaluated
 * locally and so never match (reported by the caller) — a deny by default, never an allow.
 */

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

export type PolicyDecision = 'allow' | 'deny' | 'implicit-deny';

export function evaluatePolicies(documents: unknown[], action: string, resource: string): PolicyDecision {
  let allowed = false;
  for (const statement of documents.flatMap(statementsOf)) {
    if (statement.Condition !== undefined) continue;
    if (!matchesAction(statement, action) || !matchesResource(statement, resource)) continue;
    if (statement.Effect === 'Deny') return 'deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** Whether any Allow statement names the action (on any resource), e.g. which roles may call AppSync. */
export function allowsAction(documents: unknown[], action: string): boolean {
  return documents.flatMap(statementsOf).some((s) => s.Effect === 'Allow' && matchesAction(s, action));
}

function statementsOf(document: unknown): Statement[] {
  const statements = (document as { Statement?: Statement | Statement[] } | null)?.Statement;
  return statements === undefined ? [] : Array.isArray(statements) ? statements : [statements];
}

function matchesAction(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return list(s.Action).some((pattern) => wildcard(pattern, action, true));
  if (s.NotAction !== undefined) return !list(s.NotAction).some((pattern) => wildcard(pattern, action, true));
  return false;
}

function matchesResource(s: Statement, resource: string): boolean {
  if (s.Resource !== undefined) return list(s.Resource).some((pattern) => wildcard(pattern, resource, false));
  if (s.NotResource !== undefined) return !list(s.NotResource).some((pattern) => wildcard(pattern, resource, false));
  return false;
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

/**
 * Compiled patterns by flags and pattern. Every signed request is evaluated against its role's
 * policies (each publish of price-engine, each ingestFeed call), and compiling the same few
 * patterns again each time was a visible share of the request path's CPU. The patterns are
 * the template's, so the map stays small.
 */
const compiled = new Map<string, RegExp>();

/** IAM wildcards: `*` any run, `?` one character; actions compare case-insensitively. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : ''}:${pattern}`;
  let regex = compiled.get(key);
  if (!regex) {
    const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
    regex = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    compiled.set(key, regex);
  }
  return regex.test(value);
}
