import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { collectConsoleErrors, waitForHydration } from './helpers';
import { blocks, closeContexts, content, createDoc, editor, openEditor, remoteCaretAtEnd, shareDoc, signedInPage } from './docs-helpers';

test.describe.configure({ timeout: 90_000 });
test.afterEach(closeContexts);

test('documents list: validation, create, rename, share read-only, delete with confirmation', async ({ browser }) => {
  const run = Date.now().toString(36);
  const admin = await signedInPage(browser, 'admin_a');
  const errors = collectConsoleErrors(admin);
  await admin.goto('/docs');
  await waitForHydration(admin);
  await expect(admin.getByRole('heading', { level: 1, name: 'Documents' })).toBeVisible();

  // Bad titles get a clear message next to the field, and nothing is created.
  const create = admin.getByRole('button', { name: 'Create document' });
  await create.click();
  await expect(admin.getByLabel('Title', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(admin.locator('#doc-new-title-error')).toHaveText('Give the document a title.');
  await admin.getByLabel('Title', { exact: true }).fill('x'.repeat(201));
  await create.click();
  await expect(admin.locator('#doc-new-title-error')).toHaveText('A title can be at most 200 characters.');

  const title = `Minutes ${run}`;
  const id = await createDoc(admin, title);
  await openEditor(admin, id);
  await expect(admin.getByTestId('doc-title')).toHaveText(title);

  // Rename in place.
  await admin.goto('/docs');
  await waitForHydration(admin);
  const owned = admin.getByTestId('docs-owned');
  await owned.getByRole('button', { name: `Rename ${title}` }).click();
  const renamed = `Minutes (final) ${run}`;
  const input = owned.getByLabel(`New title of ${title}`);
  await expect(input).toBeFocused();
  await input.fill(renamed);
  await input.press('Enter');
  await expect(owned.getByRole('link', { name: renamed })).toBeVisible();

  // Shared as view-only: user_a finds it under "Shared with me" and gets a read-only editor.
  await admin.reload();
  await waitForHydration(admin);
  await shareDoc(admin, renamed, 'user_a', 'Can view');
  const axe = await new AxeBuilder({ page: admin }).analyze();
  expect(axe.violations, JSON.stringify(axe.violations, null, 2)).toEqual([]);

  const viewer = await signedInPage(browser, 'user_a');
  errors.push(...collectConsoleErrors(viewer));
  await viewer.goto('/docs');
  await waitForHydration(viewer);
  await expect(viewer.getByTestId('docs-shared').getByRole('link', { name: renamed })).toBeVisible();
  await expect(viewer.getByTestId('docs-shared').getByRole('button', { name: `Delete ${renamed}` })).toHaveCount(0);
  await openEditor(viewer, id);
  await expect(viewer.getByTestId('doc-readonly')).toBeVisible();
  await expect(viewer.getByTestId('doc-toolbar')).toHaveCount(0);
  await expect(editor(viewer)).toHaveAttribute('contenteditable', 'false');

  // Removing the share takes the document away from user_a again.
  await admin.goto('/docs');
  await waitForHydration(admin);
  await admin.getByRole('button', { name: `Share ${renamed}` }).click();
  const share = admin.getByRole('dialog', { name: `Share “${renamed}”` });
  await share.getByRole('button', { name: /^Remove / }).click();
  await expect(share.getByText("Only you and your organisation's admins.")).toBeVisible();
  await share.getByRole('button', { name: 'Done' }).click();
  await viewer.goto('/docs');
  await waitForHydration(viewer);
  await expect(viewer.getByRole('link', { name: renamed })).toHaveCount(0);

  // Delete asks first; cancelling keeps it, confirming removes it.
  await admin.goto('/docs');
  await waitForHydration(admin);
  await admin.getByRole('button', { name: `Delete ${renamed}` }).click();
  const confirm = admin.getByRole('dialog', { name: 'Delete document?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(confirm).toBeHidden();
  await admin.getByRole('button', { name: `Delete ${renamed}` }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(admin.getByRole('link', { name: renamed })).toHaveCount(0);

  expect(errors).toEqual([]);
});

test('two editors on one document converge; bold and a heading survive a reload; presence and cursors show', async ({ browser }) => {
  const run = Date.now().toString(36);
  const a = await signedInPage(browser, 'admin_a');
  const b = await signedInPage(browser, 'user_a');
  const errors = [a, b].flatMap((p) => collectConsoleErrors(p));
  const title = `Shared draft ${run}`;
  const id = await createDoc(a, title);
  await shareDoc(a, title, 'user_a', 'Can edit');

  const loadMs = await openEditor(a, id);
  await openEditor(b, id);
  console.log(`editor page load to synced and editable: ${loadMs} ms`);

  // Presence: each sees two people, the other one by name.
  const nameOf = async (page: typeof a) =>
    (await page.getByTestId('doc-presence').locator('li[title$="(you)"]').getAttribute('data-name')) as string;
  await expect(a.getByTestId('doc-presence').locator('li')).toHaveCount(2);
  await expect(b.getByTestId('doc-presence').locator('li')).toHaveCount(2);
  const [nameA, nameB] = [await nameOf(a), await nameOf(b)];
  await expect(a.getByTestId('doc-presence').locator(`li[data-name="${nameB}"]`)).toBeVisible();
  await expect(b.getByTestId('doc-presence').locator(`li[data-name="${nameA}"]`)).toBeVisible();

  // A writes a paragraph; then both type into that same paragraph at once.
  await editor(a).click();
  await a.keyboard.type('Shared paragraph.');
  await expect(editor(b)).toContainText('Shared paragraph.');
  // (Typing at one spot would interleave the two streams of characters, as any CRDT does.)
  await editor(b).click();
  await b.keyboard.press('End');
  await expect.poll(() => remoteCaretAtEnd(a), { timeout: 10_000 }).toBe(true);
  await a.keyboard.press('Home');
  await Promise.all([a.keyboard.type('Alpha wrote this. '), b.keyboard.type(' Bravo wrote that.')]);
  for (const page of [a, b]) {
    await expect.poll(async () => (await blocks(page))[0]).toBe('P:Alpha wrote this. Shared paragraph. Bravo wrote that.');
  }
  await expect.poll(async () => content(b), { timeout: 10_000 }).toBe(await content(a));

  // Remote cursor of A is drawn in B's editor, with A's name (coloured through element.style).
  await expect(editor(b).locator('.ProseMirror-yjs-cursor-label', { hasText: nameA })).toHaveCount(1);

  // Bold through Ctrl+B on a new line, then a heading through the toolbar.
  await a.keyboard.press('End');
  await a.keyboard.press('Enter');
  await a.keyboard.press('Control+b');
  await a.keyboard.type('Decision');
  await a.keyboard.press('Control+b');
  await expect(a.getByRole('button', { name: 'Bold', exact: true })).toHaveAttribute('aria-pressed', 'false');
  await a.keyboard.press('Enter');
  await a.keyboard.type('Next steps');
  await a.getByRole('button', { name: 'Heading 2' }).click();
  await expect(a.getByRole('button', { name: 'Heading 2' })).toHaveAttribute('aria-pressed', 'true');
  await expect(editor(b).locator('strong', { hasText: 'Decision' })).toBeVisible();
  await expect(editor(b).locator('h2', { hasText: 'Next steps' })).toBeVisible();
  await a.keyboard.press('ArrowUp');
  await expect(a.getByRole('button', { name: 'Bold', exact: true })).toHaveAttribute('aria-pressed', 'true');

  // Undo and redo (Ctrl+Z / Ctrl+Y) on A's own last change only.
  await a.keyboard.press('ArrowDown');
  await a.keyboard.press('Control+z');
  await expect(editor(a).locator('h2')).toHaveCount(0);
  await a.keyboard.press('Control+y');
  await expect(editor(a).locator('h2', { hasText: 'Next steps' })).toBeVisible();
  await expect.poll(async () => (await content(a)) === (await content(b)), { timeout: 10_000 }).toBe(true);

  // Everything is on the server: a reload shows the same content and formatting.
  const before = await content(a);
  await b.reload();
  await openEditor(b, id);
  await expect(editor(b).locator('strong', { hasText: 'Decision' })).toBeVisible();
  await expect(editor(b).locator('h2', { hasText: 'Next steps' })).toBeVisible();
  await expect.poll(() => content(b)).toBe(before);

  const axe = await new AxeBuilder({ page: a }).analyze();
  expect(axe.violations, JSON.stringify(axe.violations, null, 2)).toEqual([]);

  // Leaving the page ends the presence at once (the editor is destroyed on unmount).
  await b.getByRole('link', { name: 'All documents' }).click();
  await expect(a.getByTestId('doc-presence').locator('li')).toHaveCount(1, { timeout: 10_000 });
  expect(errors).toEqual([]);
});

test('offline edits are kept and merged on reconnect; history names, shows and restores a version; export', async ({ browser }) => {
  const run = Date.now().toString(36);
  const a = await signedInPage(browser, 'admin_a');
  const b = await signedInPage(browser, 'admin_a');
  const errors = [a, b].flatMap((p) => collectConsoleErrors(p));
  const id = await createDoc(a, `Offline and history ${run}`);
  await openEditor(a, id);
  await openEditor(b, id);
  await editor(a).click();
  await a.keyboard.type('First version.');
  await expect(editor(b)).toContainText('First version.');

  // B puts its caret at the end while online, and A sees it there: B's editor has read the click.
  // (Keys pressed right after a click can otherwise beat ProseMirror's selectionchange, and its
  // focus handler then puts the old caret back, at the start.)
  await editor(b).click();
  await b.keyboard.press('Control+End');
  await expect.poll(() => remoteCaretAtEnd(a), { timeout: 10_000 }).toBe(true);

  // B goes offline and keeps typing; A edits meanwhile; back online, both have both edits.
  await b.context().setOffline(true);
  await expect(b.getByTestId('doc-status')).toHaveAttribute('data-status', 'disconnected');
  await b.keyboard.press('Enter');
  await b.keyboard.type('Written offline.');
  await expect(b.getByTestId('doc-status')).toHaveAttribute('data-status', 'offline-saved');
  await expect(b.getByTestId('doc-status')).toHaveText('Offline — edits saved on this device');
  await a.keyboard.press('Home');
  await a.keyboard.type('Online: ');
  await b.context().setOffline(false);
  await expect(b.getByTestId('doc-status')).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
  for (const page of [a, b]) {
    await expect.poll(() => blocks(page), { timeout: 10_000 }).toEqual(['P:Online: First version.', 'P:Written offline.']);
  }

  // Name the current version, change the text, look at the saved version, restore it.
  const history = a.getByTestId('doc-history');
  await history.getByLabel('Name this version').fill(`Checkpoint ${run}`);
  await history.getByRole('button', { name: 'Save version' }).click();
  await expect(history.getByRole('button', { name: `View Checkpoint ${run}` })).toBeVisible();
  await editor(a).click();
  await a.keyboard.press('Control+End');
  await expect.poll(() => remoteCaretAtEnd(b), { timeout: 10_000 }).toBe(true);
  await a.keyboard.press('Enter');
  await a.keyboard.type('Later change.');
  await expect(editor(b)).toContainText('Later change.');
  await history.getByRole('button', { name: `View Checkpoint ${run}` }).click();
  const shown = history.getByTestId('doc-revision-view');
  await expect(shown).toContainText('Written offline.');
  await expect(shown).not.toContainText('Later change.');
  await history.getByRole('button', { name: `Restore Checkpoint ${run}` }).click();
  const confirm = a.getByRole('dialog', { name: 'Restore this version?' });
  await confirm.getByRole('button', { name: 'Restore' }).click();
  for (const page of [a, b]) {
    await expect.poll(() => blocks(page), { timeout: 10_000 }).toEqual(['P:Online: First version.', 'P:Written offline.']);
  }

  // Export links serve the document.
  const md = await a.request.get(await a.getByRole('link', { name: 'Export Markdown' }).getAttribute('href') as string);
  expect(md.ok()).toBe(true);
  expect(await md.text()).toContain('Written offline.');
  const html = await a.request.get(await a.getByRole('link', { name: 'Export HTML' }).getAttribute('href') as string);
  expect(html.ok()).toBe(true);
  expect(await html.text()).toContain('<p>Online: First version.</p>');

  const axe = await new AxeBuilder({ page: a }).analyze();
  expect(axe.violations, JSON.stringify(axe.violations, null, 2)).toEqual([]);
  expect(errors.filter((e) => !e.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
});
