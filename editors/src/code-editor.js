// The code editor island: CodeMirror 6 with Python, JavaScript and SQL, a light and a dark theme
// and a run shortcut. Mounted by the Leptos component through wasm-bindgen
// (app/src/challenges/editor/binding.rs); it owns only the editing surface.
//
// onChange contract: called with the whole text on the trailing edge of a quiet period
// (`changeDelayMs`, default 150 ms) and flushed at once before onRun, on blur and on destroy, so
// the caller may save drafts from it directly and never sees a text older than a run.
import { EditorState, Compartment, Prec } from '@codemirror/state'
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine
} from '@codemirror/view'
import {
  defaultKeymap, history, historyKeymap, indentWithTab, temporarilySetTabFocusMode
} from '@codemirror/commands'
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search'
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete'
import {
  indentOnInput, indentUnit, syntaxHighlighting, defaultHighlightStyle, bracketMatching, foldGutter,
  foldKeymap, HighlightStyle
} from '@codemirror/language'
import { classHighlighter } from '@lezer/highlight'
import { python } from '@codemirror/lang-python'
import { javascript } from '@codemirror/lang-javascript'
import { sql, SQLite } from '@codemirror/lang-sql'
import { oneDarkTheme, oneDarkHighlightStyle } from '@codemirror/theme-one-dark'

const noop = () => {}
const fn = (f) => (typeof f === 'function' ? f : noop)

/** Language name (the Rust `Language`'s wire form) → CodeMirror language support. */
const LANGUAGES = {
  python: () => python(),
  javascript: () => javascript(),
  sql: () => sql({ dialect: SQLite, upperCaseKeywords: true })
}

function languageSupport (name) {
  return (LANGUAGES[name] || LANGUAGES.python)()
}

const lightTheme = [
  EditorView.theme({
    '&': { backgroundColor: '#ffffff', color: '#1f2328' },
    '.cm-gutters': { backgroundColor: '#f6f8fa', color: '#57606a', borderRight: '1px solid #d0d7de' },
    '.cm-activeLine': { backgroundColor: '#f3f6fa' },
    '.cm-activeLineGutter': { backgroundColor: '#e7ecf2', color: '#1f2328' }
  }, { dark: false }),
  syntaxHighlighting(defaultHighlightStyle)
]

// One Dark on a darker background with brighter comments, so every token colour reaches the
// WCAG AA contrast of 4.5:1 (One Dark's own #282c34 gives its red 4.4 and its comments 3.9).
const DARK_BG = '#1b1e24'
const darkTheme = [
  oneDarkTheme,
  Prec.high(EditorView.theme({
    '&': { backgroundColor: DARK_BG },
    '.cm-gutters': { backgroundColor: DARK_BG },
    '.cm-activeLine': { backgroundColor: '#ffffff06' }
  }, { dark: true })),
  syntaxHighlighting(HighlightStyle.define(
    oneDarkHighlightStyle.specs.map((spec) => (spec.color === '#7d8799' ? { ...spec, color: '#9099aa' } : spec))
  ))
]

function themeFor (dark) {
  return dark ? darkTheme : lightTheme
}

// Shared look: the host element sets the height; the editor fills it and scrolls inside.
const baseTheme = EditorView.theme({
  '&': { height: '100%', fontSize: '0.9rem' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', lineHeight: '1.5' },
  '&.cm-focused': { outline: '2px solid #4f46e5', outlineOffset: '-2px' }
})

/** The page's CSP nonce (Leptos puts it on its own scripts), for CodeMirror's style elements. */
function pageNonce () {
  const el = document.querySelector('script[nonce], style[nonce]')
  return el ? el.nonce || el.getAttribute('nonce') || '' : ''
}

export class CodeEditor {
  constructor (element, options) {
    const opts = options || {}
    this.onChange = fn(opts.onChange)
    this.onRun = fn(opts.onRun)
    this.delay = Number.isFinite(opts.changeDelayMs) ? Math.max(0, opts.changeDelayMs) : 150
    this.timer = null
    this.pending = false
    this.language = new Compartment()
    this.theme = new Compartment()

    const run = () => {
      this.flush()
      this.onRun()
      return true
    }
    const nonce = pageNonce()
    this.view = new EditorView({
      parent: element,
      state: EditorState.create({
        doc: String(opts.doc ?? ''),
        extensions: [
          // Before every other binding: Ctrl+Enter otherwise inserts a blank line.
          Prec.highest(keymap.of([
            // Ctrl+Enter and Cmd+Enter on every platform (Mod- alone is only one of them).
            ...['Ctrl-Enter', 'Meta-Enter'].map((key) => ({ key, run, preventDefault: true })),
            // Tab indents; Escape then Tab leaves the editor, so keyboard users are never trapped.
            // Returns false so Escape still closes a completion list: one press is always enough.
            { key: 'Escape', run: (view) => !temporarilySetTabFocusMode(view) }
          ])),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightSpecialChars(),
          history(),
          foldGutter(),
          drawSelection(),
          dropCursor(),
          EditorState.allowMultipleSelections.of(true),
          indentOnInput(),
          indentUnit.of('    '),
          bracketMatching(),
          closeBrackets(),
          autocompletion(),
          rectangularSelection(),
          crosshairCursor(),
          highlightActiveLine(),
          highlightSelectionMatches(),
          // Stable `tok-*` class names next to the themes' generated ones (tests, custom CSS).
          syntaxHighlighting(classHighlighter),
          keymap.of([
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...searchKeymap,
            ...historyKeymap,
            ...foldKeymap,
            ...completionKeymap,
            indentWithTab
          ]),
          this.language.of(languageSupport(opts.language)),
          this.theme.of(themeFor(!!opts.dark)),
          baseTheme,
          nonce ? EditorView.cspNonce.of(nonce) : [],
          // An explicit tabindex (the contenteditable is in the tab order anyway) tells axe the
          // scroll area has focusable content (scrollable-region-focusable) without adding a stop.
          EditorView.contentAttributes.of({
            'aria-label': String(opts.label || 'Code editor'),
            tabindex: '0'
          }),
          EditorView.updateListener.of((update) => {
            if (update.docChanged) this.schedule()
            if (update.focusChanged && !update.view.hasFocus) this.flush()
          })
        ]
      })
    })
  }

  schedule () {
    this.pending = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = setTimeout(() => this.flush(), this.delay)
  }

  /** Delivers a pending change now. */
  flush () {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (!this.pending || !this.view) return
    this.pending = false
    this.onChange(this.view.state.doc.toString())
  }

  /** The whole text. */
  getText () {
    return this.view ? this.view.state.doc.toString() : ''
  }

  /** Replaces the whole text (one undoable step); the cursor goes to the start. */
  setText (text) {
    if (!this.view) return
    this.view.dispatch({
      changes: { from: 0, to: this.view.state.doc.length, insert: String(text ?? '') },
      selection: { anchor: 0 },
      scrollIntoView: true
    })
  }

  /** `python` | `javascript` | `sql`. */
  setLanguage (name) {
    if (this.view) this.view.dispatch({ effects: this.language.reconfigure(languageSupport(name)) })
  }

  setDark (dark) {
    if (this.view) this.view.dispatch({ effects: this.theme.reconfigure(themeFor(!!dark)) })
  }

  /** Number of lines (counted without copying the text). */
  lineCount () {
    return this.view ? this.view.state.doc.lines : 0
  }

  /** Number of characters (UTF-16 code units, as JavaScript counts them). */
  length () {
    return this.view ? this.view.state.doc.length : 0
  }

  focus () {
    if (this.view) this.view.focus()
  }

  /** Flushes a pending change and removes the editor from the page. */
  destroy () {
    if (!this.view) return
    this.flush()
    this.view.destroy()
    this.view = null
  }
}

/**
 * Mounts an editor into `element`. Options: `doc`, `language`, `dark`, `label`, `changeDelayMs`,
 * `onChange(text)`, `onRun()`.
 */
export function mountCodeEditor (element, options) {
  return new CodeEditor(element, options)
}
