import { allowsAction } from './iam/policy.ts';
import type { LocalRuntime } from './runtime.ts';

/** What a client needs to reach the running APIs, as printed at start. */
export function runtimeSummary(runtime: LocalRuntime): string {
  const lines: string[] = [];
  for (const api of runtime.apis) {
    lines.push(`AppSync API "${api.model.name}"`);
    lines.push(`  GraphQL    ${api.graphqlUrl}  (also https://localhost:${api.port}/graphql)`);
    lines.push(`  real-time  wss://localhost:${api.port}/graphql/realtime  (also ws://)`);
    lines.push(`  auth       ${[api.model.defaultAuth.type, ...api.model.additionalAuth.map((p) => p.type)].join(', ')} (default first)`);
    for (const key of api.model.apiKeys) {
      lines.push(`  API key    ${key.value}  (expires ${new Date(key.expires * 1000).toISOString()})`);
    }
  }
  for (const u of runtime.users) lines.push(`user ${u.username} / ${u.password}  groups: ${(u.groups ?? []).join(', ') || '(none)'}`);
  // Roles allowed to call AppSync are the ones a developer signs requests as; the rest
  // (functions' and data sources' service roles) are in credentials.json.
  const callers = runtime.credentials.filter((c) => allowsAction(runtime.model.roles.find((r) => r.arn === c.roleArn)?.policyDocuments ?? [], 'appsync:GraphQL'));
  for (const c of callers) lines.push(`IAM ${c.name}: access key ${c.accessKeyId}, secret ${c.secretAccessKey}`);
  lines.push(`DynamoDB Local   ${runtime.dynamodbEndpoint}`);
  if (runtime.cognitoEndpoint) lines.push(`Cognito (local)  ${runtime.cognitoEndpoint}   (Amplify: Auth.Cognito.userPoolEndpoint)`);
  lines.push(`Amplify outputs  ${runtime.outputsPath}   (Amplify.configure(outputs))`);
  lines.push(`credentials      ${runtime.credentialsPath}   (users and every role's local access key)`);
  lines.push(`local CA         ${runtime.caCertPath}`);
  lines.push(`  trust it in Node with NODE_EXTRA_CA_CERTS=${runtime.caCertPath}; in a browser, import it as an authority`);
  return lines.join('\n');
}
