import { test, expect } from '@playwright/test';
import { collectConsoleErrors } from './helpers';

test('the API reference renders offline from our own origin', async ({ page, baseURL }) => {
  const errors = collectConsoleErrors(page);
  const foreign: string[] = [];
  const origin = new URL(baseURL ?? 'http://127.0.0.1:3000').origin;
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.protocol.startsWith('http') && url.origin !== origin) foreign.push(req.url());
  });
  await page.goto('/api-docs');
  // Swagger UI lists the merged document's sections: the storefront's and the product events'.
  await expect(page.locator('.opblock-tag', { hasText: 'Product events' }).first()).toBeVisible();
  await expect(page.locator('.opblock-tag', { hasText: 'Catalogue' }).first()).toBeVisible();
  await expect(page.locator('.opblock-summary-path', { hasText: '/api/v1/events' }).first()).toBeVisible();
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});
