import { Amplify, type ResourcesConfig } from 'aws-amplify';

/** The parts of amplify_outputs.json this app reads besides what Amplify.configure takes. */
export interface Outputs {
  data?: { url?: string; api_key?: string };
  auth?: { user_pool_id?: string; user_pool_client_id?: string };
  custom?: { local_runtime?: { user_pool_endpoint?: string } };
}

/**
 * Configures Amplify from the outputs the page's server publishes (the local runtime serves the
 * API's outputs at /amplify_outputs.json). Amplify's outputs have no field for a custom Cognito
 * endpoint: the local runtime gives it under custom.local_runtime, passed on as
 * Auth.Cognito.userPoolEndpoint so that sign-in talks to the local Cognito.
 */
export async function configureAmplify(url = '/amplify_outputs.json'): Promise<Outputs> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`cannot read the API's outputs from ${url}: HTTP ${response.status} (serve this page from the local runtime: npm start)`);
  const outputs = (await response.json()) as Outputs;
  if (!outputs.data?.url) throw new Error(`${url} has no data.url: it is not an amplify_outputs.json of a GraphQL API`);
  Amplify.configure(outputs as Parameters<typeof Amplify.configure>[0]);
  const userPoolEndpoint = outputs.custom?.local_runtime?.user_pool_endpoint;
  const config = Amplify.getConfig();
  const cognito = config.Auth?.Cognito;
  // ResourcesConfig types Cognito as a union that a spread cannot narrow; the pool is in the outputs.
  if (userPoolEndpoint && cognito) Amplify.configure({ ...config, Auth: { ...config.Auth, Cognito: { ...cognito, userPoolEndpoint } } as ResourcesConfig['Auth'] });
  return outputs;
}
