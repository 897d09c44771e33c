import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { signIn, waitForHydration, collectConsoleErrors } from './helpers';

// The library's T04 "Test a Math Function" (Python): the learner writes a unittest suite for
// `mathlib.add`; the grader runs it on the real add and on broken ones (mutation testing).
// The wrong answer is a suite with one placeholder test: it catches no broken add.
const WRONG = [
  'import unittest',
  '',
  'from mathlib import add',
  '',
  '',
  'class TestAdd(unittest.TestCase):',
  '    def test_placeholder(self):',
  '        self.assertTrue(True)',
  '',
].join('\n');
// The right answer: five tests covering positives, negatives, zero, wrong types and large numbers.
const RIGHT = [
  'import unittest',
  '',
  'from mathlib import add',
  '',
  '',
  'class TestAdd(unittest.TestCase):',
  '    def test_positive(self):',
  '        self.assertEqual(add(2, 3), 5)',
  '',
  '    def test_negative(self):',
  '        self.assertEqual(add(-1, -2), -3)',
  '',
  '    def test_zero(self):',
  '        self.assertEqual(add(0, 5), 5)',
  '        self.assertEqual(add(5, 0), 5)',
  '',
  '    def test_wrong_type(self):',
  '        with self.assertRaises(TypeError):',
  '            add("2", 3)',
  '        with self.assertRaises(TypeError):',
  '            add(2, 3.5)',
  '',
  '    def test_large(self):',
  '        self.assertEqual(add(10**6, 10**6), 2_000_000)',
  '',
].join('\n');

/**
 * Replaces the editor's whole text (CodeMirror's contenteditable, or a textarea) and waits until
 * the page has it: "Unsaved changes" (the edit reached the page), then "Saved" (autosave).
 */
async function replaceCode(page: Page, code: string): Promise<void> {
  const editor = page.getByTestId('editor').locator('.cm-content, textarea').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
  const saveState = page.getByTestId('save-state');
  await expect(saveState).toHaveText('Unsaved changes');
  await expect(saveState).toHaveText('Saved', { timeout: 10_000 });
}

test('find a Python task, fail a run, fix it, submit, see PASSED, feedback and progress', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await signIn(page, 'user_a');
  await page.goto('/challenges');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Challenges' })).toBeVisible();
  await expect(page.getByTestId('challenge-card').first()).toBeVisible();
  for (let i = 0; i < 3; i++) {
    // The server sends the list itself, not an empty body (see the challenge page below).
    expect(await (await page.request.get('/challenges')).text()).toContain('data-testid="challenge-card"');
  }

  // Filters live in the URL: the debounced search and a difficulty narrow the list.
  await page.getByLabel('Search', { exact: true }).fill('math function');
  await expect(page).toHaveURL(/[?&]q=math%20function/);
  await page.getByLabel('Difficulty').selectOption('intermediate');
  await expect(page).toHaveURL(/difficulty=intermediate/);
  await expect(page.getByRole('heading', { level: 2, name: 'Intermediate' })).toBeVisible();
  const card = page.getByTestId('challenge-card').filter({ hasText: /Test a Math Function/i });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Python');
  await card.getByRole('link').click();

  await expect(page.getByRole('heading', { level: 1, name: /Test a Math Function/i })).toBeVisible();
  await waitForHydration(page);

  // Loaded by its address the page is whole on the server every time (a browser-only read used
  // to make the page's Transition send its "Loading…" fallback about half the time), and it
  // hydrates after a reload.
  for (let i = 0; i < 4; i++) {
    const html = await (await page.request.get(page.url())).text();
    expect(html).toContain('data-testid="challenge-description"');
    expect(html).not.toMatch(/__INCOMPLETE_CHUNKS=\[\d/);
  }
  await page.reload();
  await waitForHydration(page);
  await page.getByLabel('Language').selectOption('python');

  // A wrong solution: it autosaves, Run shows failing public tests with a diff.
  await replaceCode(page, WRONG);
  const status = page.getByTestId('submission-status');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(status).toHaveText(/Run: Failed/, { timeout: 60_000 });
  const failing = page.locator('[data-testid="test-row"][data-passed="false"]');
  expect(await failing.count()).toBeGreaterThan(0);
  await expect(failing.first()).toContainText('failed');

  // The fix, submitted against every test (hidden ones too).
  await replaceCode(page, RIGHT);
  await page.getByRole('button', { name: 'Submit', exact: true }).click();
  await expect(status).toHaveText(/Submission: Passed/, { timeout: 60_000 });
  await expect(page.locator('[data-testid="test-row"][data-passed="false"]')).toHaveCount(0);
  await expect(page.getByTestId('score')).toHaveText('100 / 100');
  const feedback = page.getByTestId('feedback');
  await expect(feedback.getByTestId('feedback-source')).toContainText(
    /cache|Rule-based|AI model|Local reviewer/,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('attempts')).toContainText(/Submissions so far: [1-9]/);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Progress counts the solved challenge and lists the passed submission.
  await page.getByRole('link', { name: 'My progress' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My progress' })).toBeVisible();
  await expect(page.getByTestId('progress-completed')).toHaveText(/^[1-9]\d* of \d+$/);
  await expect(page.getByTestId('recent-submissions')).toContainText('Passed');
  const progressAxe = await new AxeBuilder({ page }).analyze();
  expect(progressAxe.violations.map((v) => v.id)).toEqual([]);

  expect(errors).toEqual([]);
});
