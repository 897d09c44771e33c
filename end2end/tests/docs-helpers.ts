import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { atPath, signIn, waitForHydration } from './helpers';

const contexts: BrowserContext[] = [];

/** Closes the contexts `signedInPage` opened (call in `afterEach`, so no editor stays connected). */
export async function closeContexts(): Promise<void> {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
}

/** A new browser context signed in as `user`. */
export async function signedInPage(browser: Browser, user: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await signIn(page, user);
  return page;
}

/** Creates a document through the list page's form; returns its id (the editor opens). */
export async function createDoc(page: Page, title: string): Promise<string> {
  await page.goto('/docs');
  await waitForHydration(page);
  await page.getByLabel('Title', { exact: true }).fill(title);
  await page.getByRole('button', { name: 'Create document' }).click();
  await page.waitForURL((url) => /^\/docs\/[^/]+$/.test(url.pathname));
  // Let the editor that opens finish loading rather than cancel its bundle mid-flight.
  await expect(page.getByTestId('doc-status')).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
  return new URL(page.url()).pathname.split('/').pop() as string;
}

/** Shares `title` with `user` from the list page. */
export async function shareDoc(page: Page, title: string, user: string, permission: 'Can view' | 'Can edit' | 'Admin') {
  await page.goto('/docs');
  await waitForHydration(page);
  await page.getByRole('button', { name: `Share ${title}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Share “${title}”` });
  await expect(dialog).toBeVisible();
  const person = dialog.getByLabel('Person', { exact: true });
  await expect(person.locator(`option[value="${user}"]`)).toHaveCount(1);
  await person.selectOption(user);
  await dialog.getByLabel('Permission', { exact: true }).selectOption({ label: permission });
  await dialog.getByRole('button', { name: 'Share', exact: true }).click();
  await expect(dialog.getByLabel(/^Permission of /)).toHaveCount(1);
  await dialog.getByRole('button', { name: 'Done' }).click();
  await expect(dialog).toBeHidden();
}

/** Opens the editor of `id` and waits until it is synced and editable (or read-only). */
export async function openEditor(page: Page, id: string): Promise<number> {
  const started = Date.now();
  await page.goto(`/docs/${id}`);
  await page.waitForURL(atPath(`/docs/${id}`));
  await expect(page.getByTestId('doc-status')).toHaveAttribute('data-status', 'connected', { timeout: 15_000 });
  await expect(editor(page)).toBeVisible();
  return Date.now() - started;
}

export function editor(page: Page) {
  return page.locator('.ProseMirror');
}

/** The editor's HTML without remote cursors and selections (which differ per viewer). */
export async function content(page: Page): Promise<string> {
  return editor(page).evaluate((root) => {
    const clone = root.cloneNode(true) as HTMLElement;
    clone.querySelectorAll('.ProseMirror-yjs-cursor, .ProseMirror-trailingBreak, .ProseMirror-separator').forEach((el) => el.remove());
    clone.querySelectorAll('.ProseMirror-yjs-selection').forEach((el) => el.replaceWith(...Array.from(el.childNodes)));
    clone.normalize();
    return clone.innerHTML;
  });
}

/** Blocks as `TAG:text` with bold runs marked `*like this*`, for comparing with a Yjs client. */
export async function blocks(page: Page): Promise<string[]> {
  return editor(page).evaluate((root) =>
    Array.from(root.children).map((block) => {
      let text = '';
      const walk = (node: Node, bold: boolean) => {
        if (node.nodeType === Node.TEXT_NODE) {
          text += bold ? `*${node.textContent}*` : node.textContent;
          return;
        }
        const el = node as HTMLElement;
        if (el.classList && el.classList.contains('ProseMirror-yjs-cursor')) return;
        node.childNodes.forEach((child) => walk(child, bold || el.tagName === 'STRONG'));
      };
      block.childNodes.forEach((child) => walk(child, false));
      return `${block.tagName}:${text.replace(/\*\*/g, '')}`;
    }),
  );
}

/**
 * Whether `page` draws another user's caret at the very end of its last block. The caret comes
 * from that user's editor state through awareness, so this shows their editor has taken in
 * where a click put the caret (the DOM caret alone moves before ProseMirror reads it).
 */
export async function remoteCaretAtEnd(page: Page): Promise<boolean> {
  return editor(page).evaluate((root) => {
    const last = root.lastElementChild;
    const caret = last?.querySelector('.ProseMirror-yjs-cursor');
    if (!last || !caret) return false;
    const after = document.createRange();
    after.setStartAfter(caret);
    after.setEnd(last, last.childNodes.length);
    return after.toString().replace(/\u2060/g, '') === '';
  });
}
