import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  atPath,
  collectConsoleErrors,
  DEMO_PASSWORD,
  escapeRegExp,
  signIn,
  waitForAnimationsToSettle,
  waitForHydration,
} from './helpers';

const THEME_KEY = 'atrium-theme';

function mainNav(page: Page) {
  return page.getByRole('navigation', { name: 'Main' });
}

function h1(page: Page, name: string | RegExp) {
  return page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' ? true : undefined });
}

test('sign in, navigate every area, sign out', async ({ page }) => {
  const errors = collectConsoleErrors(page);

  await signIn(page, 'admin_a');
  await expect(page.getByTestId('current-user')).toContainText('admin_a');
  await expect(page.getByTestId('current-tenant')).toContainText('Company A');

  const areas: Array<{ link: string; path: string; heading: string }> = [
    { link: 'Storefront', path: '/storefront', heading: 'Storefront' },
    { link: 'Dashboards', path: '/dashboards', heading: 'Dashboards' },
    { link: 'Feed', path: '/feed', heading: 'Feed' },
    { link: 'Documents', path: '/docs', heading: 'Documents' },
    { link: 'Files', path: '/files', heading: 'Files' },
    { link: 'Challenges', path: '/challenges', heading: 'Challenges' },
    { link: 'Home', path: '/', heading: 'Home' },
  ];
  const nav = mainNav(page);
  await expect(nav).toBeVisible();
  for (const area of areas) {
    await test.step(`navigate to ${area.link}`, async () => {
      await nav.getByRole('link', { name: area.link, exact: true }).click();
      await expect(page).toHaveURL(atPath(area.path));
      await expect(h1(page, area.heading)).toBeVisible();
    });
  }

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(atPath('/sign-in'));
  await expect(h1(page, 'Sign in')).toBeVisible();

  // The session is gone: a protected page sends us back to the sign-in page.
  await page.goto('/storefront');
  await expect(page).toHaveURL(atPath('/sign-in'));
  await expect(h1(page, 'Sign in')).toBeVisible();
  await waitForHydration(page);

  expect(errors, `console errors:\n${errors.join('\n')}`).toEqual([]);
});

test('wrong password shows an inline error', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page);
  const username = page.getByLabel('Username', { exact: true });
  await username.fill('admin_a');
  await page.getByLabel('Password', { exact: true }).fill('wrong');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await expect(page.getByRole('alert').filter({ hasText: 'Invalid username or password' })).toBeVisible();
  await expect(page).toHaveURL(atPath('/sign-in'));
  await expect(username).toHaveValue('admin_a');
});

test('theme switch is interactive after hydration', async ({ page }) => {
  await signIn(page, 'admin_a');
  const html = page.locator('html');
  const toggle = page.getByTestId('theme-toggle');
  await expect(toggle).toBeVisible();
  await expect(toggle).toHaveRole('button');

  // system (no attribute) -> light -> dark -> system
  await expect(html).not.toHaveAttribute('data-theme', /.*/);
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await toggle.click();
  await expect(html).not.toHaveAttribute('data-theme', /.*/);

  // Choose dark again; the choice survives a reload (localStorage 'atrium-theme').
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  expect(await page.evaluate((key) => window.localStorage.getItem(key), THEME_KEY)).toBe('dark');

  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await waitForHydration(page);
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('tenant switcher', async ({ page }) => {
  await signIn(page, 'admin_a');
  await expect(page.getByTestId('current-tenant')).toContainText('Company A');

  const tenant = page.getByLabel('Tenant', { exact: true });
  await expect(tenant).toBeVisible();
  await expect(tenant).toHaveRole('combobox');
  await tenant.selectOption({ label: 'Tenant A' });

  await expect(page.getByTestId('current-tenant')).toContainText('Tenant A');
});

test('API token created once and revocable', async ({ page, request }) => {
  // `request` is a cookie-less API context (same baseURL), so only the bearer
  // token authenticates these calls: the browser session cannot mask a broken token.
  page.on('dialog', (dialog) => void dialog.accept());
  await signIn(page, 'admin_a');

  const tokensLink = page.getByRole('link', { name: 'API tokens', exact: true });
  await expect(tokensLink).toHaveAttribute('href', '/settings/tokens');
  await tokensLink.click();
  await expect(page).toHaveURL(atPath('/settings/tokens'));
  await waitForHydration(page);

  const name = `e2e-token-${Date.now()}`;
  await page.getByLabel('Token name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create token', exact: true }).click();

  // Shown exactly once, as the element's text (or value, if the UI uses a read-only input).
  const newToken = page.getByTestId('new-token');
  await expect(newToken).toBeVisible();
  const readToken = () =>
    newToken.evaluate((el) =>
      (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el.value : (el.textContent ?? '')).trim(),
    );
  await expect.poll(readToken, { message: 'new-token shows an atr_ token' }).toMatch(/^atr_[A-Za-z0-9_-]{20,}$/);
  const token = await readToken();

  const auth = { headers: { Authorization: `Bearer ${token}` } };
  const ok = await request.get('/api/me', auth);
  expect(ok.status()).toBe(200);
  expect((await ok.json()).user.username).toBe('admin_a');

  const row = page.getByRole('row', { name: new RegExp(escapeRegExp(name)) });
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await expect(row).toHaveCount(0);

  const revoked = await request.get('/api/me', auth);
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.code).toBe('unauthorized');
});

test('PWA: manifest, service worker control, offline page', async ({ page, context }) => {
  const res = await page.request.get('/manifest.webmanifest');
  expect(res.status()).toBe(200);
  const manifest = await res.json();
  expect(manifest.name).toBe('Atrium');
  const icons: Array<{ sizes?: string; purpose?: string }> = manifest.icons ?? [];
  const sizes = icons.flatMap((icon) => (icon.sizes ?? '').split(/\s+/));
  expect(sizes).toContain('192x192');
  expect(sizes).toContain('512x512');
  expect(icons.some((icon) => (icon.purpose ?? '').split(/\s+/).includes('maskable'))).toBe(true);

  await test.step('service worker becomes active', async () => {
    await page.goto('/sign-in');
    await waitForHydration(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
  });
  await test.step('service worker controls the page after a reload', async () => {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  });

  try {
    await context.setOffline(true);
    // A page never visited in this context: only the service worker's offline fallback can answer.
    await page.goto('/storefront');
    await expect(h1(page, /You['’]re offline/)).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
});

test('accessibility: no serious axe violations on the shell', async ({ page }) => {
  // Theme colours must not be scanned mid-transition.
  await page.emulateMedia({ reducedMotion: 'reduce' });

  const scan = async (label: string) => {
    await waitForAnimationsToSettle(page);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const report = serious
      .map((v) => `${label}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`)
      .join('\n');
    expect(serious.map((v) => v.id), `serious/critical axe violations:\n${report}`).toEqual([]);
  };

  await page.goto('/sign-in');
  await waitForHydration(page);
  await expect(h1(page, 'Sign in')).toBeVisible();
  await scan('/sign-in');

  await signIn(page, 'admin_a');
  await expect(h1(page, 'Home')).toBeVisible();
  await scan('/');

  await page.goto('/storefront');
  await waitForHydration(page);
  await expect(h1(page, 'Storefront')).toBeVisible();
  await scan('/storefront');

  await page.goto('/');
  await waitForHydration(page);
  const toggle = page.getByTestId('theme-toggle');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await scan('/ (dark)');
});

test('responsive at 360px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, 'admin_a');
  await expect(mainNav(page)).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: 'no horizontal overflow at 360px',
    })
    .toBeLessThanOrEqual(360);
});

test('keyboard navigation', async ({ page }) => {
  await page.goto('/sign-in');
  await waitForHydration(page);

  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();

  const username = page.getByLabel('Username', { exact: true });
  const password = page.getByLabel('Password', { exact: true });
  for (let i = 0; i < 10; i++) {
    if (await username.evaluate((el) => el === document.activeElement)) break;
    await page.keyboard.press('Tab');
  }
  await expect(username).toBeFocused();
  await page.keyboard.type('admin_a');
  await page.keyboard.press('Tab');
  await expect(password).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL(atPath('/'));
  await waitForHydration(page);
  await expect(page.getByTestId('current-user')).toContainText('admin_a');
});
