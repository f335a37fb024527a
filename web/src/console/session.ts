import { fetchAuthSession, getCurrentUser, signIn, signOut } from 'aws-amplify/auth';

export interface Session {
  username: string;
  /** Cognito groups from the access token (`cognito:groups`): `traders` may change markets and start jobs. */
  groups: string[];
}

/** The signed-in user, from the tokens Amplify keeps across page loads; undefined when signed out. */
export async function currentSession(): Promise<Session | undefined> {
  let username: string;
  try {
    username = (await getCurrentUser()).username;
  } catch {
    return undefined;
  }
  const { tokens } = await fetchAuthSession();
  if (!tokens) return undefined;
  const groups = tokens.accessToken.payload['cognito:groups'];
  return { username, groups: Array.isArray(groups) ? groups.map(String) : [] };
}

/**
 * Username and password sent to Cognito as they are (USER_PASSWORD_AUTH), which the local
 * Cognito supports, rather than Amplify's default SRP exchange.
 */
export async function signInWithPassword(username: string, password: string): Promise<Session> {
  const result = await signIn({ username, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } });
  if (!result.isSignedIn) throw new Error(`sign-in needs a further step (${result.nextStep.signInStep}) that this console does not offer`);
  const session = await currentSession();
  if (!session) throw new Error('signed in, but Amplify holds no tokens');
  return session;
}

export async function endSession(): Promise<void> {
  await signOut();
}
