import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration, collectConsoleErrors, atPath } from './helpers';

// Prices of the demo catalogue (company_a): keyboard £99.00, braided cable £14.99.
// Subtotal £113.99 → SUMMER10 −£11.40 → £102.59 → VAT £20.52 → total £123.11.
test('browse, add two products, apply SUMMER10, see suggestions, check out, find the order', async ({ page }) => {
  const errors = collectConsoleErrors(page);
  await signIn(page, 'user_a');
  await page.goto('/storefront');
  await waitForHydration(page);

  // Search narrows the grid; add the keyboard from its card.
  await page.getByLabel('Search').fill('keyboard');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page.getByTestId('product-card')).toHaveCount(1);
  await page.getByRole('button', { name: 'Add Mechanical keyboard to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');

  // Filter by category and open a product page; add from there.
  await page.goto('/storefront?category=Audio');
  await waitForHydration(page);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await page.getByRole('link', { name: 'Braided audio cable' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Braided audio cable' })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart', exact: true }).click();
  const drawer = page.getByTestId('cart-drawer');
  await expect(drawer).toBeVisible();
  await expect(drawer.getByTestId('cart-line')).toHaveCount(2);
  await expect(page.getByTestId('cart-count')).toHaveText('2');
  await drawer.getByRole('link', { name: 'Checkout' }).click();

  await expect(page).toHaveURL(atPath('/storefront/checkout'));
  await expect(page.getByTestId('checkout-line')).toHaveCount(2);
  await expect(page.getByTestId('subtotal')).toHaveText('£113.99');

  // A wrong code is explained and kept; the right one applies.
  const promo = page.getByRole('textbox', { name: 'Promo code' });
  await promo.fill('WINTER50');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.locator('#promo-error')).toContainText('WINTER50');
  await expect(promo).toHaveValue('WINTER50');
  await promo.fill('summer10');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByTestId('discount')).toHaveText('−£11.40');
  await expect(page.getByTestId('vat')).toHaveText('£20.52');
  await expect(page.getByTestId('total')).toHaveText('£123.11');

  // Suggestions come from the local recommender (no AI endpoint configured in tests).
  const upsell = page.getByTestId('upsell');
  await expect(upsell).toBeVisible();
  await expect(upsell.getByTestId('upsell-source')).toContainText('local');
  const suggestions = upsell.getByTestId('suggestion');
  expect(await suggestions.count()).toBeGreaterThan(0);
  expect(await suggestions.count()).toBeLessThanOrEqual(3);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  await page.getByTestId('place-order').click();
  await page.waitForURL((url) => url.pathname.startsWith('/storefront/orders/') && url.searchParams.has('placed'));
  await expect(page.getByTestId('order-heading')).toHaveText('Thank you, your order is in');
  await expect(page.getByTestId('total')).toHaveText('£123.11');
  await expect(page.getByTestId('discount')).toHaveText('−£11.40');
  await expect(page.getByTestId('order-status')).toHaveText('Placed');
  const orderId = (await page.getByTestId('order-id').textContent()) ?? '';
  expect(orderId).not.toEqual('');
  await expect(page.getByTestId('cart-count')).toHaveText('0');

  await page.getByRole('link', { name: 'All my orders' }).click();
  await expect(page).toHaveURL(atPath('/storefront/orders'));
  const row = page.getByTestId('order-row').first();
  await expect(row).toContainText(orderId.slice(0, 8));
  await expect(row).toContainText('£123.11');
  // The only console error allowed is the browser's log line for the rejected code's 422.
  expect(errors.filter((e) => !(e.includes('422') && e.includes('checkout/preview')))).toEqual([]);
});

test('another organisation never sees the order or the products', async ({ page }) => {
  await signIn(page, 'admin_b');
  await page.goto('/storefront');
  await waitForHydration(page);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await expect(page.getByText('Mechanical keyboard')).toHaveCount(0);
  await page.goto('/storefront/products/company_a-cmp-kbd');
  await expect(page.getByRole('heading', { name: 'Product not found' })).toBeVisible();
});

test('a visitor fills a cart in the public shop, signs in, and checks out the same cart', async ({ page }) => {
  await page.goto('/shop/company_a');
  await waitForHydration(page);
  await expect(page.getByTestId('product-card').first()).toBeVisible();
  await page.getByRole('button', { name: 'Add Desk mat to cart' }).click();
  await expect(page.getByTestId('cart-count')).toHaveText('1');
  await page.getByTestId('cart-button').click();
  await page.getByRole('link', { name: 'Sign in to check out' }).click();

  await page.waitForURL(atPath('/sign-in'));
  await waitForHydration(page);
  await page.getByLabel('Username', { exact: true }).fill('user_a');
  await page.getByLabel('Password', { exact: true }).fill('atrium-demo');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(atPath('/storefront/checkout'));
  await expect(page.getByTestId('checkout-line')).toHaveCount(1);
  await expect(page.getByTestId('checkout-line')).toContainText('Desk mat');
});
