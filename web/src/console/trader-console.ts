import type { MarketBook } from '../board/market-book.ts';
import type { Api } from '../graphql/api.ts';
import type { ConnectionWatch } from '../graphql/connection.ts';
import { apiErrors, describeError } from '../graphql/errors.ts';
import { fill, h } from '../ui/dom.ts';
import { mountJobsPanel } from './jobs-panel.ts';
import { mountMarketControls } from './market-controls.ts';
import { currentSession, endSession, signInWithPassword, type Session } from './session.ts';

export interface TraderConsoleOptions {
  api: Api;
  book: MarketBook;
  connection: ConnectionWatch;
}

/**
 * The trader console: a sign-in form, then (as the signed-in Cognito user, authMode userPool)
 * market controls and jobs. Signing in as a user outside `traders` still shows them; the API's
 * refusal then says why (errorType and message), as it would to any client.
 */
export async function mountTraderConsole(root: HTMLElement, options: TraderConsoleOptions): Promise<void> {
  let active: { stop(): void }[] = [];

  function show(session: Session | undefined): void {
    for (const part of active.splice(0)) part.stop();
    if (session) signedIn(session);
    else signedOut();
  }

  function signedOut(): void {
    const username = h('input', { name: 'username', autocomplete: 'username', required: true });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
    const errors = h('div', { class: 'errors', role: 'alert' });
    const button = h('button', { type: 'submit' }, 'Sign in');
    const form = h(
      'form',
      {
        class: 'sign-in',
        onsubmit: (event) => {
          event.preventDefault();
          button.disabled = true;
          fill(errors);
          signInWithPassword(username.value, password.value)
            .then(show)
            .catch((error: unknown) => fill(errors, ...apiErrors(error).map((e) => h('p', { class: 'error' }, describeError(e)))))
            .finally(() => (button.disabled = false));
        },
      },
      h('label', {}, 'Username ', username),
      h('label', {}, 'Password ', password),
      button,
      errors,
      h('p', { class: 'muted' }, 'Demo users (npm start): client/demo/users.json.'),
    );
    fill(root, form);
  }

  function signedIn(session: Session): void {
    const controls = h('div', { class: 'controls' });
    const jobs = h('div', { class: 'jobs-panel' });
    const signOut = h('button', { type: 'button', onclick: () => void endSession().finally(() => show(undefined)) }, 'Sign out');
    fill(
      root,
      h(
        'p',
        { class: 'session', 'data-username': session.username },
        'Signed in as ',
        h('strong', {}, session.username),
        ` (${session.groups.length > 0 ? session.groups.join(', ') : 'no groups'}) `,
        signOut,
      ),
      session.groups.includes('traders') ? null : h('p', { class: 'muted' }, 'Changing markets takes the traders group, jobs traders or admins: the API refuses the rest.'),
      h('h3', {}, 'Markets'),
      controls,
      h('h3', {}, 'Jobs'),
      jobs,
    );
    active = [mountMarketControls(controls, options.api, options.book), mountJobsPanel(jobs, options)];
  }

  show(await currentSession());
}
