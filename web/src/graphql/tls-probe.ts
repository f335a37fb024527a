/** What a probe of the API's port found. */
export type Reachability = 'ok' | 'untrusted' | 'unreachable';

const PROBE_PATH = '/amplify_outputs.json';

/**
 * Why a `wss://` connection to the API cannot open. A page is never told why a WebSocket failed,
 * so the same port is asked twice: over https:// (the TLS handshake the WebSocket needs) and over
 * http:// (the local runtime answers both on one port). https failing while http answers is a
 * certificate the browser does not trust; both failing is a server that is down. `no-cors` keeps
 * the probe independent of CORS: only whether a response came at all counts.
 */
export async function probeTls(graphqlUrl: string, fetcher: typeof fetch = fetch): Promise<Reachability> {
  const url = new URL(graphqlUrl);
  // AppSync's own endpoints are https only and publicly trusted: nothing to probe.
  if (url.protocol === 'https:' && !isLocal(url.hostname)) return 'ok';
  const answers = async (protocol: 'https:' | 'http:') => {
    try {
      await fetcher(`${protocol}//${url.host}${PROBE_PATH}`, { mode: 'no-cors', cache: 'no-store' });
      return true;
    } catch {
      return false;
    }
  };
  if (await answers('https:')) return 'ok';
  return (await answers('http:')) ? 'untrusted' : 'unreachable';
}

function isLocal(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost');
}
