// A Node y-websocket client (npm yjs, y-protocols, y-websocket, ws) and the browser editor on
// one document: concurrent edits converge to the same content and formatting, and a client that
// joins late receives the full state.
import { test, expect } from '@playwright/test';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { collectConsoleErrors } from './helpers';
import { blocks, closeContexts, createDoc, editor, openEditor, signedInPage } from './docs-helpers';

test.describe.configure({ timeout: 60_000 });
test.afterEach(closeContexts);

const baseUrl = () => process.env.ATRIUM_E2E_URL || 'http://127.0.0.1:3000';

/** A Node client of `/ws/docs/{id}`, authenticated with a demo API token; resolves once synced. */
async function nodeClient(id: string, token = 'token_admin_a'): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const serverUrl = baseUrl().replace(/^http/, 'ws') + '/ws/docs';
  const provider = new WebsocketProvider(serverUrl, id, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  provider.awareness.setLocalStateField('user', { name: 'Node bot', color: '#0f766e' });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the Node client did not sync within 10 s')), 10_000);
    provider.once('sync', (synced: boolean) => {
      if (synced) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { doc, provider };
}

/** The same `TAG:text *bold*` form as `blocks()` reads from the browser, from the Yjs fragment. */
function yBlocks(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('prosemirror')
    .toArray()
    .map((node) => {
      const el = node as Y.XmlElement;
      const tag = el.nodeName === 'heading' ? `H${el.getAttribute('level')}` : el.nodeName === 'paragraph' ? 'P' : el.nodeName;
      const text = el
        .toArray()
        .map((child) =>
          child instanceof Y.XmlText
            ? (child.toDelta() as { insert: string; attributes?: Record<string, unknown> }[])
                .map((op) => (op.attributes && 'strong' in op.attributes ? `*${op.insert}*` : op.insert))
                .join('')
            : '',
        )
        .join('');
      return `${tag}:${text.replace(/\*\*/g, '')}`;
    });
}

/** Appends a paragraph "From Node " + bold "bold words", and a level-2 heading, in one transaction. */
function nodeEdit(doc: Y.Doc) {
  doc.transact(() => {
    const fragment = doc.getXmlFragment('prosemirror');
    const para = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    text.insert(0, 'From Node ');
    text.insert(10, 'bold words', { strong: {} });
    para.insert(0, [text]);
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.insert(0, [new Y.XmlText('Node heading')]);
    fragment.insert(fragment.length, [para, heading]);
  });
}

test('a Node y-websocket client and the browser editor converge; a late joiner gets the full state', async ({ browser }) => {
  const page = await signedInPage(browser, 'admin_a');
  const errors = collectConsoleErrors(page);
  const id = await createDoc(page, `Node and browser ${Date.now().toString(36)}`);
  await openEditor(page, id);

  const first = await nodeClient(id);
  try {
    // Both edit at once: the browser types while the Node client inserts formatted blocks.
    await editor(page).click();
    await Promise.all([page.keyboard.type('Typed in the browser.'), Promise.resolve().then(() => nodeEdit(first.doc))]);
    // Then the browser bolds a word of its own; the Node client must see the mark.
    await expect(editor(page).locator('h2', { hasText: 'Node heading' })).toBeVisible();
    await expect(editor(page).locator('strong', { hasText: 'bold words' })).toBeVisible();
    // From the end of the Node client's heading: the concurrent first edits may share one
    // paragraph (timing), and the end of that paragraph can sit inside a bold run.
    await editor(page).locator('h2', { hasText: 'Node heading' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+b');
    await page.keyboard.type('Browser bold');

    await expect.poll(() => yBlocks(first.doc).join('\n'), { timeout: 10_000 }).toContain('*Browser bold*');
    const final = yBlocks(first.doc);
    await expect.poll(() => blocks(page), { timeout: 10_000 }).toEqual(final);
    // Both sides' text and marks are there. (How two concurrent first edits of an empty
    // document are laid out into blocks depends on timing; that both sides agree does not.)
    const text = final.join('\n');
    expect(text).toContain('Typed in the browser.');
    expect(text).toContain('From Node *bold words*');
    expect(final).toContain('H2:Node heading');
    expect(text).toContain('*Browser bold*');

    // The browser shows the Node client in its presence list.
    await expect(page.getByTestId('doc-presence').locator('li[data-name="Node bot"]')).toHaveCount(1);

    // A client joining now receives everything, formatting included.
    const late = await nodeClient(id);
    try {
      expect(late.doc.getXmlFragment('prosemirror').toString()).toBe(first.doc.getXmlFragment('prosemirror').toString());
      expect(yBlocks(late.doc)).toEqual(final);
    } finally {
      late.provider.destroy();
    }
  } finally {
    first.provider.destroy();
  }
  expect(errors).toEqual([]);
});
