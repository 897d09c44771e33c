import { test, expect } from '@playwright/test';
import { signIn, waitForHydration } from './helpers';

const USER = { Authorization: 'Bearer token_user_a' };

test('a high-risk order waits in the review queue; the admin rejects it and the stock comes back', async ({ page, request }) => {
  // A shopper buys four £1,299 laptops over the API: over £5,000, so the order is held.
  const cart = await (await request.post('/api/v1/carts', { headers: USER })).json();
  const laptop = 'company_a-cmp-lap';
  const before = (await (await request.get(`/api/v1/products/${laptop}`, { headers: USER })).json()).stock;
  await request.put(`/api/v1/carts/${cart.id}/items`, { headers: USER, data: { product_id: laptop, quantity: 4 } });
  const placed = await request.post(`/api/v1/carts/${cart.id}/checkout`, { headers: USER, data: {} });
  expect(placed.status()).toBe(201);
  const order = (await placed.json()).order;
  expect(order.status).toBe('held');

  await signIn(page, 'admin_a');
  await page.goto('/storefront/admin/review');
  await waitForHydration(page);
  const card = page.getByTestId('review-card').filter({ hasText: order.id.slice(0, 8) });
  await expect(card).toBeVisible();
  await expect(card).toContainText('5000');
  await card.getByText('Audit trail').click();
  await expect(card).toContainText('held by fraud-scoring');
  await card.getByLabel('Note (optional)').fill('Card holder could not be reached');
  await card.getByRole('button', { name: 'Reject' }).click();
  await expect(page.getByTestId('review-card').filter({ hasText: order.id.slice(0, 8) })).toHaveCount(0);

  await page.goto(`/storefront/orders/${order.id}`);
  await expect(page.getByTestId('order-status')).toHaveText('Rejected');
  const after = (await (await request.get(`/api/v1/products/${laptop}`, { headers: USER })).json()).stock;
  expect(after).toBe(before);
  const trail = await (await request.get(`/api/v1/orders/${order.id}/audit`, { headers: { Authorization: 'Bearer token_admin_a' } })).json();
  expect(trail.map((e: { action: string }) => e.action)).toEqual(['held', 'rejected']);
});

test('an admin adds a product and changes stock in the catalogue editor; shoppers see it', async ({ page }) => {
  await signIn(page, 'admin_a');
  await page.goto('/storefront/admin/catalogue');
  await waitForHydration(page);
  await page.getByLabel('SKU').fill('E2E-MUG');
  await page.getByLabel('Name', { exact: true }).fill('Enamel mug');
  await page.getByLabel('Category').fill('Home');
  await page.getByLabel('Price (£)').fill('twelve');
  await page.getByRole('button', { name: 'Add product' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a price like 12.50.' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Enamel mug');
  await page.getByLabel('Price (£)').fill('12.50');
  await page.getByLabel('Stock', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Add product' }).click();
  const stock = page.getByLabel('Stock of Enamel mug');
  await expect(stock).toHaveValue('3');
  await stock.fill('0');
  await stock.press('Tab');
  await expect(page.getByText('Saved Enamel mug.')).toBeVisible();

  await page.goto('/storefront?q=mug');
  await waitForHydration(page);
  const card = page.getByTestId('product-card').filter({ hasText: 'Enamel mug' });
  await expect(card).toContainText('£12.50');
  await expect(card.getByRole('button', { name: 'Add Enamel mug to cart' })).toBeDisabled();
});
