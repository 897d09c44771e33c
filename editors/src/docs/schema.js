// The rich-text schema: prosemirror-schema-basic plus its lists. The node and mark names are
// the contract with the server's Markdown/HTML export, which reads the same Yjs fragment.
import { Schema } from 'prosemirror-model'
import { schema as basic } from 'prosemirror-schema-basic'
import { addListNodes } from 'prosemirror-schema-list'

const SAFE_HREF = /^(https?:|mailto:|\/|#)/i

/** True when `href` may be put in a link: web, mail, or same-site addresses only. */
export const safeHref = (href) => typeof href === 'string' && SAFE_HREF.test(href.trim())

// A peer could store any href in the shared document: render only safe ones.
const link = {
  ...basic.spec.marks.get('link'),
  toDOM (mark) {
    const href = safeHref(mark.attrs.href) ? mark.attrs.href : '#'
    return ['a', { href, title: mark.attrs.title, rel: 'noopener noreferrer nofollow' }, 0]
  }
}

export const schema = new Schema({
  nodes: addListNodes(basic.spec.nodes, 'paragraph block*', 'block'),
  marks: basic.spec.marks.update('link', link)
})
