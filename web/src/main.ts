import type { ConnectionState } from 'aws-amplify/api';
import { createBoardView } from './board/board-view.ts';
import { MarketBook } from './board/market-book.ts';
import { startPriceBoard } from './board/price-board.ts';
import { configureAmplify } from './config.ts';
import { mountTraderConsole } from './console/trader-console.ts';
import { createApi } from './graphql/api.ts';
import { watchConnection } from './graphql/connection.ts';
import { apiErrors, describeError } from './graphql/errors.ts';
import { byId, fill, h } from './ui/dom.ts';

/** The page: the live price board (anonymous, API key) and the trader console (signed in). */
async function main(): Promise<void> {
  const boardErrors = byId('board-errors');
  const showBoardError = (error: unknown) => fill(boardErrors, ...apiErrors(error).map((e) => h('p', { class: 'error' }, describeError(e))));
  try {
    await configureAmplify();
  } catch (error) {
    showBoardError(error);
    return;
  }

  const connection = watchConnection();
  const badge = byId('connection');
  const showState = (state: ConnectionState) => {
    badge.dataset.state = state;
    badge.textContent = state;
  };
  showState(connection.state());
  connection.onState(showState);

  const api = createApi();
  const book = new MarketBook();
  try {
    await startPriceBoard({ api, book, view: createBoardView(byId('events')), connection, onError: showBoardError });
  } catch (error) {
    showBoardError(error);
  }
  await mountTraderConsole(byId('console-body'), { api, book, connection });
}

void main();
