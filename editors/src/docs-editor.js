// The collaborative rich-text editor island: ProseMirror bound to a Yjs document that syncs over
// the y-websocket protocol and is kept in IndexedDB for offline edits. Mounted by the Leptos
// page through wasm-bindgen (app/src/docs/collab/editor.rs); it owns only the editing surface.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { IndexeddbPersistence } from 'y-indexeddb'
import { ySyncPlugin, yCursorPlugin, yUndoPlugin, yUndoPluginKey } from 'y-prosemirror'
import { removeAwarenessStates } from 'y-protocols/awareness'
import { EditorState, Plugin } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { schema } from './docs/schema.js'
import { namedCommand, editorKeymaps, formatState } from './docs/commands.js'
import { cursorBuilder, selectionBuilder } from './docs/cursors.js'

/** The Yjs type the server's export reads too. */
export const FRAGMENT_NAME = 'prosemirror'

const noop = () => {}
const fn = (f) => (typeof f === 'function' ? f : noop)

export class DocEditor {
  constructor (element, options) {
    const opts = options || {}
    this.destroyed = false
    this.readOnly = !!opts.readOnly
    this.onStatus = fn(opts.onStatus)
    this.onPresence = fn(opts.onPresence)
    this.onFormat = fn(opts.onFormat)
    this.lastStatus = null
    this.lastFormat = null
    this.unsavedOffline = false

    this.ydoc = new Y.Doc()
    const fragment = this.ydoc.getXmlFragment(FRAGMENT_NAME)
    this.persistence = new IndexeddbPersistence(opts.storageName || `atrium-doc:${opts.room}`, this.ydoc)
    this.provider = new WebsocketProvider(opts.serverUrl, String(opts.room), this.ydoc, { connect: false })
    this.awareness = this.provider.awareness
    const user = opts.user || {}
    this.awareness.setLocalStateField('user', { name: String(user.name || 'Someone'), color: String(user.color || '#4f46e5') })

    this.provider.on('status', () => this.reportStatus())
    this.provider.on('sync', () => this.reportStatus())
    this.ydoc.on('update', (_update, origin) => {
      if (origin !== this.provider && origin !== this.persistence && !this.provider.wsconnected) {
        this.unsavedOffline = true
        this.reportStatus()
      }
    })
    this.awareness.on('change', () => this.reportPresence())

    const reporter = new Plugin({ view: () => ({ update: () => this.reportFormat() }) })
    this.view = new EditorView(element, {
      state: EditorState.create({
        schema,
        plugins: [
          ySyncPlugin(fragment),
          yCursorPlugin(this.awareness, { cursorBuilder, selectionBuilder }),
          yUndoPlugin(),
          ...editorKeymaps(),
          reporter
        ]
      }),
      editable: () => !this.readOnly,
      attributes: {
        role: 'textbox',
        'aria-multiline': 'true',
        'aria-label': String(opts.label || 'Document content'),
        'aria-readonly': String(this.readOnly),
        class: 'atrium-prosemirror'
      }
    })
    const undoManager = yUndoPluginKey.getState(this.view.state)?.undoManager
    if (undoManager) {
      for (const event of ['stack-item-added', 'stack-item-popped', 'stack-cleared']) {
        undoManager.on(event, () => this.reportFormat())
      }
    }

    // Tell the others at once that this tab left, rather than after the 30 s awareness timeout.
    this.onPageHide = () => removeAwarenessStates(this.awareness, [this.ydoc.clientID], 'page hidden')
    window.addEventListener('pagehide', this.onPageHide)
    // Follow the browser's own view of the network rather than waiting for the socket to time out.
    this.onOffline = () => this.provider.disconnect()
    this.onOnline = () => this.provider.connect()
    window.addEventListener('offline', this.onOffline)
    window.addEventListener('online', this.onOnline)

    if (navigator.onLine !== false) this.provider.connect()
    this.reportStatus()
    this.reportPresence()
    this.reportFormat()
  }

  reportStatus () {
    if (this.destroyed) return
    const p = this.provider
    if (p.wsconnected && p.synced) this.unsavedOffline = false
    const status = p.wsconnected && p.synced
      ? 'connected'
      : this.unsavedOffline
        ? 'offline-saved'
        : p.wsconnecting || p.wsconnected ? 'connecting' : 'disconnected'
    if (status !== this.lastStatus) {
      this.lastStatus = status
      this.onStatus(status)
    }
  }

  reportPresence () {
    if (this.destroyed) return
    const self = this.ydoc.clientID
    const people = []
    this.awareness.getStates().forEach((state, clientId) => {
      const user = state && state.user
      if (!user) return
      people.push({ clientId, name: String(user.name), color: String(user.color), self: clientId === self })
    })
    people.sort((a, b) => (b.self - a.self) || (a.clientId - b.clientId))
    this.onPresence(JSON.stringify(people))
  }

  reportFormat () {
    if (this.destroyed || !this.view) return
    const json = JSON.stringify(formatState(this.view.state))
    if (json !== this.lastFormat) {
      this.lastFormat = json
      this.onFormat(json)
    }
  }

  /** Runs a toolbar command by name; false when it does not apply here. */
  command (name, arg) {
    if (this.destroyed || this.readOnly) return false
    const cmd = namedCommand(String(name), arg)
    if (!cmd) return false
    const done = cmd(this.view.state, this.view.dispatch, this.view)
    this.view.focus()
    this.reportFormat()
    return !!done
  }

  focus () {
    if (!this.destroyed) this.view.focus()
  }

  /** Disconnects and frees everything; callbacks are never called afterwards. */
  destroy () {
    if (this.destroyed) return
    this.destroyed = true
    window.removeEventListener('pagehide', this.onPageHide)
    window.removeEventListener('offline', this.onOffline)
    window.removeEventListener('online', this.onOnline)
    removeAwarenessStates(this.awareness, [this.ydoc.clientID], 'editor closed')
    this.view.destroy()
    this.provider.destroy()
    this.persistence.destroy()
    this.ydoc.destroy()
  }
}

/** Mounts the editor into `element` (see DocEditor for the options). */
export function mountDocEditor (element, options) {
  return new DocEditor(element, options)
}
