import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'atrium-demo';

/** Matcher for `toHaveURL` / `waitForURL`: the path equals `path`, any query or hash allowed. */
export function atPath(path: string): (url: URL) => boolean {
  return (url: URL) => url.pathname === path;
}

/** Waits until the Leptos client has hydrated (the app sets `<body data-hydrated="true">`). */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForSelector('body[data-hydrated="true"]', { state: 'attached' });
}

/** Signs in through the real sign-in form and waits until the home page is hydrated. */
export async function signIn(page: Page, username: string, password: string = DEMO_PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await waitForHydration(page);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(atPath('/'));
  await waitForHydration(page);
  await expect(page.getByTestId('current-user')).toContainText(username);
}

const IGNORED_CONSOLE_ERRORS = ['net::ERR_INTERNET_DISCONNECTED', 'Failed to fetch'];

/**
 * Records every `console.error` message and uncaught page error from now on.
 * The returned array fills up as the test runs; assert on it at the end.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  const keep = (text: string) => !IGNORED_CONSOLE_ERRORS.some((ignored) => text.includes(ignored));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const text = msg.text();
    if (!keep(text)) return;
    const loc = msg.location();
    errors.push(loc && loc.url ? `console.error: ${text} (${loc.url}:${loc.lineNumber})` : `console.error: ${text}`);
  });
  page.on('pageerror', (err) => {
    const text = `${err.name}: ${err.message}`;
    if (keep(text)) errors.push(`pageerror: ${text}`);
  });
  return errors;
}

/** Waits until no CSS transitions are running (e.g. colour transitions after a theme switch). */
export async function waitForAnimationsToSettle(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .filter((a) => a.constructor.name === 'CSSTransition')
      .every((a) => a.playState !== 'running' && !a.pending),
  );
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
