import { test, expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { collectConsoleErrors, signIn, waitForAnimationsToSettle, waitForHydration } from './helpers';

/** A new browser context signed in as `user`, on the Feed page with a live connection. */
async function openFeed(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, user);
  await page.goto('/feed');
  await waitForHydration(page);
  await expect(page.getByTestId('feed-status')).toHaveAttribute('data-status', 'live');
  return page;
}

function events(page: Page, text: string) {
  return page.getByTestId('feed-event').filter({ hasText: text });
}

async function send(page: Page, message: string): Promise<void> {
  const input = page.getByLabel('New event', { exact: true });
  await input.fill(message);
  await input.press('Enter');
}

test('live feed: same-tenant windows see events within 1 s, other tenants never, offline tabs catch up', async ({ browser }) => {
  const run = Date.now().toString(36);
  const a1 = await openFeed(browser, 'admin_a'); // Company A
  const a2 = await openFeed(browser, 'user_a'); // Company A, another user
  const a3 = await openFeed(browser, 'admin_a'); // Company A, goes offline later
  const b = await openFeed(browser, 'admin_b'); // Company B
  const errors = [a1, a2, a3, b].flatMap((p) => collectConsoleErrors(p));
  await expect(a1.getByTestId('feed-tenant')).toHaveValue('company_a');
  await expect(b.getByTestId('feed-tenant')).toHaveValue('company_b');

  const first = `order shipped ${run}`;
  const started = Date.now();
  await send(a1, first);
  await expect(events(a2, first)).toBeVisible({ timeout: 1_000 });
  const elapsed = Date.now() - started;
  expect(elapsed, `event reached the other window in ${elapsed} ms`).toBeLessThan(1_000);
  await expect(events(a2, first)).toHaveAttribute('data-fresh', 'true');
  await expect(events(a1, first)).toHaveCount(1);
  await expect(a1.getByLabel('New event', { exact: true })).toHaveValue('');

  // Company B hears nothing of it: its own later event arrives, Company A's never does.
  const fence = `b only ${run}`;
  await send(b, fence);
  await expect(events(b, fence)).toBeVisible();
  await expect(events(b, first)).toHaveCount(0);
  await expect(events(a2, fence)).toHaveCount(0);

  // A third Company A window goes offline, misses three events, comes back and catches up once.
  await a3.context().setOffline(true);
  await expect(a3.getByTestId('feed-status')).toHaveAttribute('data-status', 'offline');
  const missed = [1, 2, 3].map((i) => `missed ${i} ${run}`);
  for (const m of missed) {
    await send(a1, m);
    await expect(events(a2, m)).toBeVisible();
  }
  await expect(events(a3, missed[0])).toHaveCount(0);
  await a3.context().setOffline(false);
  await expect(a3.getByTestId('feed-status')).toHaveAttribute('data-status', 'live');
  for (const m of [first, ...missed]) {
    await expect(events(a3, m)).toHaveCount(1);
  }
  // Newest first, in the order they were sent.
  const shown = await a3.getByTestId('feed-event').allInnerTexts();
  const order = missed.map((m) => shown.findIndex((t) => t.includes(m)));
  expect(order).toEqual([...order].sort((x, y) => y - x));

  expect(errors, errors.join('\n')).toEqual([]);
});

test('feed page: validation keeps the text, demo tenants, unseen counter, older events, sign-out elsewhere', async ({ page }) => {
  const run = Date.now().toString(36);
  await signIn(page, 'admin_b');
  await page.goto('/feed');
  await waitForHydration(page);
  await expect(page.getByTestId('feed-status')).toHaveAttribute('data-status', 'live');

  // Blank and too long messages are refused with a clear error; nothing typed is lost.
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(page.getByTestId('feed-error')).toContainText('Write a message');
  const long = 'x'.repeat(2001);
  await page.getByLabel('New event', { exact: true }).fill(long);
  await page.getByLabel('New event', { exact: true }).press('Enter');
  await expect(page.getByTestId('feed-error')).toContainText('at most 2000 characters');
  await expect(page.getByLabel('New event', { exact: true })).toHaveValue(long);

  // The brief's demo tenants: switch to Tenant B's feed and post there.
  await page.getByTestId('feed-tenant').selectOption('tenant_b');
  await expect(page.getByTestId('feed-status')).toHaveAttribute('data-status', 'live');
  await send(page, `demo hello ${run}`);
  await expect(events(page, `demo hello ${run}`)).toHaveCount(1);

  // Fill the list, scroll away from the newest, and new arrivals are counted instead.
  for (let i = 0; i < 12; i++) {
    const res = await page.request.post('/events', {
      headers: { 'X-Tenant-Id': 'tenant_b' },
      data: { message: `filler ${i} ${run}` },
    });
    expect(res.status()).toBe(201);
  }
  await expect(events(page, `filler 11 ${run}`)).toBeVisible();
  const list = page.getByTestId('feed-list');
  await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await list.evaluate((el) => el.dispatchEvent(new Event('scroll')));
  for (const i of [1, 2]) {
    await page.request.post('/events', { headers: { 'X-Tenant-Id': 'tenant_b' }, data: { message: `while away ${i} ${run}` } });
  }
  await expect(page.getByTestId('feed-unseen')).toHaveText('↑ 2 new events');
  await page.getByTestId('feed-unseen').click();
  await expect(page.getByTestId('feed-unseen')).toHaveCount(0);
  await expect(events(page, `while away 2 ${run}`)).toBeInViewport();

  // A fresh page gets the newest 20 (the e2e server's snapshot size) and pages back to the rest.
  for (let i = 0; i < 8; i++) {
    await page.request.post('/events', { headers: { 'X-Tenant-Id': 'tenant_b' }, data: { message: `later ${i} ${run}` } });
  }
  await page.reload();
  await waitForHydration(page);
  await page.getByTestId('feed-tenant').selectOption('tenant_b');
  await expect(events(page, `later 7 ${run}`)).toBeVisible();
  await expect(page.getByTestId('feed-event')).toHaveCount(20);
  await page.getByRole('button', { name: 'Show older events' }).click();
  await expect(events(page, `demo hello ${run}`)).toHaveCount(1);
  await expect(page.getByTestId('feed-event')).toHaveCount(23);
  await expect(page.getByRole('button', { name: 'Show older events' })).toHaveCount(0);

  // No serious accessibility problems on the filled page (highlights settled).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await waitForAnimationsToSettle(page);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);

  // Signing out in another tab ends this tab's stream: it reloads into the sign-in page.
  const other = await page.context().newPage();
  await other.goto('/');
  await waitForHydration(other);
  await other.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/, { timeout: 10_000 });
});
