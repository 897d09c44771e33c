// Remote cursors and selections drawn without inline style attributes: the CSP's style-src
// blocks `setAttribute('style')` (y-prosemirror's default builders), so cursors set
// `element.style.*` and selections get a class whose rule lives in a constructed stylesheet.

const VALID_COLOR = /^#[0-9a-fA-F]{6}$/
const FALLBACK_COLOR = '#4f46e5'

const colorOf = (user) => (user && VALID_COLOR.test(user.color) ? user.color : FALLBACK_COLOR)

/** The caret and name label of a remote user. */
export const cursorBuilder = (user) => {
  const color = colorOf(user)
  const cursor = document.createElement('span')
  cursor.classList.add('ProseMirror-yjs-cursor')
  cursor.setAttribute('aria-hidden', 'true')
  cursor.style.borderColor = color
  const label = document.createElement('span')
  label.classList.add('ProseMirror-yjs-cursor-label')
  label.style.backgroundColor = color
  label.textContent = (user && user.name) || 'Someone'
  cursor.append('\u2060', label, '\u2060')
  return cursor
}

let sheet = null
const known = new Set()

/** A class that tints a selection in `color`, adding its rule once. */
const selectionClass = (color) => {
  const name = `atrium-sel-${color.slice(1).toLowerCase()}`
  if (!known.has(name)) {
    if (!sheet) {
      sheet = new CSSStyleSheet()
      document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet]
    }
    sheet.insertRule(`.${name} { background-color: ${color}33; }`, sheet.cssRules.length)
    known.add(name)
  }
  return name
}

/** Decoration attributes of a remote user's selection. */
export const selectionBuilder = (user) => ({
  class: `ProseMirror-yjs-selection ${selectionClass(colorOf(user))}`
})
