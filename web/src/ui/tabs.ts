/**
 * On a phone the board and the trader console are two views switched by a bar at the bottom,
 * within a thumb's reach; on a wide screen both show and the bar is hidden (styles.css).
 */
export function mountTabs(body: HTMLElement): void {
  const buttons = Array.from(body.querySelectorAll<HTMLButtonElement>('nav.tabs button[data-view]'));
  const select = (view: string) => {
    body.dataset.view = view;
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.view === view));
  };
  for (const button of buttons) button.addEventListener('click', () => select(button.dataset.view!));
}
