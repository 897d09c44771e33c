import { test, expect, type Page, type Locator } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration, collectConsoleErrors, escapeRegExp } from './helpers';

// An instructor authors a small Python challenge in the browser; a student may open it but
// never sees its hidden test's expected value, its solution, or an Edit button.
const STARTER = 'def add(a, b):\n    pass\n';
const SOLUTION = 'def add(a, b):\n    return a + b\n';
const HIDDEN_EXPECTED = '987654';

async function typeInEditor(group: Locator, text: string): Promise<void> {
  const editor = group.locator('.cm-content, textarea').first();
  await editor.click();
  await group.page().keyboard.insertText(text);
}

async function expectAxeClean(page: Page): Promise<void> {
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`)).toEqual([]);
}

test('an instructor creates, edits and deletes a challenge; a student sees no solution', async ({ page, browser }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  const title = `Add Two Numbers ${Date.now()}`;

  await signIn(page, 'instructor_a');
  await page.goto('/challenges');
  await waitForHydration(page);
  await page.getByRole('link', { name: 'New challenge' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New challenge' })).toBeVisible();
  await expect(page.locator('[data-testid="code-editor"][data-ready="true"]')).toHaveCount(2);

  // Everything but the title.
  await page.getByLabel('Description (Markdown)').fill('Write **add(a, b)** returning the sum.');
  await page.getByRole('button', { name: 'Show preview' }).click();
  await expect(page.getByTestId('author-preview').locator('strong')).toHaveText('add(a, b)');
  await page.getByLabel('Category', { exact: true }).fill('Python basics');
  await page.getByLabel('Skills').fill('arithmetic, functions');
  await page.getByLabel('Hints').fill('Use the + operator.');
  await typeInEditor(page.getByRole('group', { name: /Starter code/ }), STARTER);
  await typeInEditor(page.getByRole('group', { name: /Reference solution/ }), SOLUTION);

  const tests = page.getByTestId('test-row');
  await tests.nth(0).getByLabel('Test name').fill('adds small numbers');
  await tests.nth(0).getByLabel('Python test code').fill('return add(2, 3)');
  await tests.nth(0).getByLabel('Python expected value (JSON)').fill('5');
  await page.getByRole('button', { name: 'Add a test' }).click();
  await expect(tests).toHaveCount(2);
  await tests.nth(1).getByLabel('Test name').fill('adds large numbers');
  await tests.nth(1).getByLabel('Python test code').fill('return add(400000, 587654)');
  await tests.nth(1).getByLabel('Python expected value (JSON)').fill(HIDDEN_EXPECTED);
  await tests.nth(1).getByLabel(/Hidden test/).check();

  // Saving without a title: the error is next to the field and nothing typed is lost.
  await page.getByRole('button', { name: 'Create challenge' }).click();
  await expect(page.getByTestId('author-error')).toContainText('Fix the marked fields');
  const titleInput = page.getByLabel('Title', { exact: true });
  await expect(titleInput).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#author-title-error')).toHaveText('title must not be empty.');
  await expect(titleInput).toHaveAttribute('aria-describedby', 'author-title-error');
  await expect(page.getByLabel('Category', { exact: true })).toHaveValue('Python basics');
  await expect(tests.nth(1).getByLabel('Python expected value (JSON)')).toHaveValue(HIDDEN_EXPECTED);
  await expect(tests.nth(1).getByLabel(/Hidden test/)).toBeChecked();
  await expect(page.getByRole('group', { name: /Reference solution/ })).toContainText('return a + b');
  await expectAxeClean(page);

  await titleInput.fill(title);
  await page.getByRole('button', { name: 'Create challenge' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const challengeUrl = page.url();
  expect(challengeUrl).toMatch(/\/challenges\/[0-9a-f-]{36}$/);

  // It is in the list; open it from there.
  await page.goto('/challenges');
  await waitForHydration(page);
  await page.getByLabel('Search', { exact: true }).fill(title);
  const card = page.getByTestId('challenge-card').filter({ hasText: title });
  await expect(card).toHaveCount(1);
  await card.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await waitForHydration(page);

  // Edit the title.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: /^Edit/ })).toBeVisible();
  await expect(page.getByLabel('Python expected value (JSON)').nth(1)).toHaveValue(HIDDEN_EXPECTED);
  const edited = `${title} (edited)`;
  await page.getByLabel('Title', { exact: true }).fill(edited);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { level: 1, name: edited })).toBeVisible();
  await expectAxeClean(page);

  // A student: no Edit or Delete, no hidden expected value, no solution; the edit page is refused.
  const studentContext = await browser.newContext();
  const student = await studentContext.newPage();
  await signIn(student, 'user_a');
  await student.goto('/challenges');
  await waitForHydration(student);
  await expect(student.getByTestId('challenge-card').first()).toBeVisible();
  await expect(student.getByRole('link', { name: 'New challenge' })).toHaveCount(0);
  // Opened from the list (client-side), like a student would; the page's data is the
  // `challenges/get` server function's answer, which must not carry the secrets either.
  await student.getByLabel('Search', { exact: true }).fill(edited);
  const studentCard = student.getByTestId('challenge-card').filter({ hasText: edited });
  await expect(studentCard).toHaveCount(1);
  const detailResponse = student.waitForResponse((r) => r.url().includes('/api/challenges/get'));
  await studentCard.getByRole('link').first().click();
  const detailBody = await (await detailResponse).text();
  expect(detailBody).toContain('adds large numbers');
  expect(detailBody).not.toContain(HIDDEN_EXPECTED);
  expect(detailBody).not.toContain('return a + b');
  await expect(student.getByRole('heading', { level: 1, name: edited })).toBeVisible();
  await expect(student.getByText('adds large numbers')).toBeVisible();
  await expect(student.getByRole('link', { name: 'Edit', exact: true })).toHaveCount(0);
  await expect(student.getByRole('button', { name: 'Delete', exact: true })).toHaveCount(0);
  const html = await student.content();
  expect(html).not.toContain(HIDDEN_EXPECTED);
  expect(html).not.toContain('return a + b');
  await student.goto(`${challengeUrl}/edit`);
  await expect(student.getByRole('heading', { level: 1, name: 'Not allowed' })).toBeVisible();
  await studentContext.close();

  // Back as the instructor: delete it (after confirming); the list no longer has it.
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('button', { name: 'Yes, delete it' });
  await expect(confirm).toBeFocused();
  await confirm.click();
  await expect(page).toHaveURL(/\/challenges$/);
  await expect(page.getByTestId('toasts')).toContainText(new RegExp(`Deleted “${escapeRegExp(edited)}”`));
  await page.getByLabel('Search', { exact: true }).fill(title);
  await expect(page.getByTestId('challenges-empty')).toBeVisible();

  // The browser logs the expected 422 of the first save; anything else is a failure.
  expect(errors.filter((e) => !e.includes('status of 422'))).toEqual([]);
});
