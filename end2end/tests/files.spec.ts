import { test, expect, type Browser, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { readFile } from 'node:fs/promises';
import { collectConsoleErrors, signIn, waitForHydration } from './helpers';

/** A new browser context signed in as `user`, on the Files page; its console errors are kept. */
async function openFiles(browser: Browser, user: string): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const errors = collectConsoleErrors(page);
  await signIn(page, user);
  await page.goto('/files');
  await waitForHydration(page);
  await expect(page.getByRole('heading', { level: 1, name: 'Files' })).toBeVisible();
  return { page, errors };
}

async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const report = results.violations
    .map((v) => `${label}: [${v.impact}] ${v.id} — ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`)
    .join('\n');
  expect(results.violations.map((v) => v.id), `axe violations:\n${report}`).toEqual([]);
}

/** Drops a file built in the page onto the drop zone, as dragging one from the desktop does. */
async function dropFile(page: Page, name: string, size: number): Promise<void> {
  await page.getByTestId('dropzone').evaluate(
    (zone, { name, size }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(size).fill(120)], name, { type: 'application/octet-stream' }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    },
    { name, size },
  );
}

test('files: a member uploads with progress, by picker and by drop, downloads, and sees refusals inline', async ({ browser }) => {
  const run = Date.now().toString(36);
  const name = `minutes ${run}.txt`;
  const content = Buffer.from(`Minutes of the meeting ${run}.\n`.repeat(16_000)); // ~0.5 MB

  // user_a uploads through the file input, with the upload slowed down so the bar shows progress.
  const user = await openFiles(browser, 'user_a');
  const cdp = await user.page.context().newCDPSession(user.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 512 * 1024,
  });
  await user.page.getByLabel('File', { exact: true }).setInputFiles({ name, mimeType: 'text/plain', buffer: content });
  await expect(user.page.getByTestId('chosen-file')).toContainText(name);
  await expect(user.page.getByLabel('Who can see it')).toHaveValue('tenant');
  await user.page.getByRole('button', { name: 'Upload', exact: true }).click();
  const progress = user.page.getByTestId('upload-progress');
  await expect(progress).toBeVisible();
  await expect(user.page.getByTestId('upload-status')).toContainText(`Uploading ${name}`);
  await expect(user.page.getByRole('button', { name: 'Cancel upload' })).toBeVisible();
  await expect(user.page.getByTestId('upload-status')).toHaveText(`Uploaded ${name}.`, { timeout: 15_000 });
  await expect(progress).toHaveJSProperty('value', 100);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

  const row = user.page.getByTestId('file-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('User A');
  await expect(row.getByTestId('access-level')).toHaveText('Tenant');
  // Members do not delete: no button, no column.
  await expect(row.getByRole('button')).toHaveCount(0);
  await expect(user.page.getByRole('columnheader', { name: 'Actions' })).toHaveCount(0);

  // The download comes back under its original name, byte for byte.
  const link = row.getByRole('link', { name });
  expect(await link.getAttribute('href')).toMatch(/^\/documents\/[0-9a-f-]{36}$/);
  const [download] = await Promise.all([user.page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(name);
  expect((await readFile(await download.path())).equals(content)).toBe(true);

  // Refusals show next to the form and keep the list: too large (dropped), then empty.
  await dropFile(user.page, 'huge.bin', 25 * 1024 * 1024 + 1);
  await expect(user.page.getByTestId('upload-error')).toHaveText('File is larger than 25 MB.');
  await expect(row).toBeVisible();
  await user.page.getByLabel('File', { exact: true }).setInputFiles({ name: 'empty.txt', mimeType: 'text/plain', buffer: Buffer.alloc(0) });
  await expect(user.page.getByTestId('upload-error')).toHaveText('The file is empty.');
  await expect(row).toBeVisible();

  // A private file, dropped onto the drop zone.
  const privateName = `private ${run}.bin`;
  await dropFile(user.page, privateName, 2048);
  await expect(user.page.getByTestId('chosen-file')).toContainText(privateName);
  await expect(user.page.getByTestId('upload-error')).toHaveCount(0);
  await user.page.getByLabel('Who can see it').selectOption('private');
  await user.page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(user.page.getByTestId('upload-status')).toHaveText(`Uploaded ${privateName}.`);
  const privateRow = user.page.getByTestId('file-row').filter({ hasText: privateName });
  await expect(privateRow.getByTestId('access-level')).toHaveText('Private');
  await expect(privateRow).toContainText('2 KB');
  await expectNoAxeViolations(user.page, 'member /files');

  // Still there after a reload (server-rendered this time).
  await user.page.reload();
  await waitForHydration(user.page);
  await expect(user.page.getByTestId('file-row').filter({ hasText: run })).toHaveCount(2);
  expect(user.errors).toEqual([]);
});

test('files: another tenant never sees a file; an admin deletes it after confirming', async ({ browser, request }) => {
  const run = Date.now().toString(36);
  const name = `contract ${run}.pdf`;
  const uploaded = await request.post('/documents', {
    headers: { Authorization: 'Bearer token_user_a' },
    multipart: {
      access_level: 'tenant',
      file: { name, mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n% contract\n') },
    },
  });
  expect(uploaded.status()).toBe(201);
  const meta = await uploaded.json();
  expect(meta.filename).toBe(name);
  expect(meta.content_type).toBe('application/pdf');
  const href = `/documents/${meta.id}`;

  // admin_b (Company B) does not see it and cannot fetch it by id.
  const other = await openFiles(browser, 'admin_b');
  await expect(other.page.getByTestId('file-row').filter({ hasText: run })).toHaveCount(0);
  if ((await other.page.getByTestId('file-row').count()) === 0) {
    await expect(other.page.getByTestId('files-empty')).toBeVisible();
  }
  const foreign = await request.get(href, { headers: { Authorization: 'Bearer token_admin_b' } });
  expect(foreign.status()).toBe(404);
  expect((await foreign.json()).error.code).toBe('not_found');

  // admin_a sees it and deletes it, after a confirmation that can be cancelled.
  const admin = await openFiles(browser, 'admin_a');
  const row = admin.page.getByTestId('file-row').filter({ hasText: name });
  await expect(row).toBeVisible();
  await expect(row).toContainText('User A');
  await expectNoAxeViolations(admin.page, 'admin /files');
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await expect(row.getByRole('group', { name: `Confirm deleting ${name}` })).toBeVisible();
  await row.getByRole('button', { name: 'Cancel' }).click();
  await expect(row.getByRole('button', { name: `Delete ${name}` })).toBeVisible();
  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await row.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(admin.page.getByTestId('file-row').filter({ hasText: name })).toHaveCount(0);
  await expect(admin.page.getByTestId('toasts')).toContainText(`Deleted ${name}.`);
  const gone = await request.get(href, { headers: { Authorization: 'Bearer token_admin_a' } });
  expect(gone.status()).toBe(404);

  expect([...other.errors, ...admin.errors]).toEqual([]);
});
