// Toolbar commands by name, the keymap, and the format state the toolbar shows.
import { toggleMark, setBlockType, chainCommands, exitCode, baseKeymap } from 'prosemirror-commands'
import { splitListItem, liftListItem, sinkListItem, wrapInList } from 'prosemirror-schema-list'
import { keymap } from 'prosemirror-keymap'
import { undo, redo, yUndoPluginKey } from 'y-prosemirror'
import { schema, safeHref } from './schema.js'

const { strong, em, code, link } = schema.marks
const { paragraph, heading, code_block: codeBlock, bullet_list: bulletList, ordered_list: orderedList, hard_break: hardBreak } = schema.nodes

const undoCmd = (state) => undo(state)
const redoCmd = (state) => redo(state)

/** The innermost list around the selection: `{ node, pos }` or null. */
const listAround = (state) => {
  const { $from } = state.selection
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d)
    if (node.type === bulletList || node.type === orderedList) return { node, pos: $from.before(d) }
  }
  return null
}

/** Toggles a list of `type`: lifts out of it, switches the other kind, or wraps. */
const toggleList = (type) => (state, dispatch) => {
  const around = listAround(state)
  if (around && around.node.type === type) return liftListItem(schema.nodes.list_item)(state, dispatch)
  if (around) {
    if (dispatch) dispatch(state.tr.setNodeMarkup(around.pos, type))
    return true
  }
  return wrapInList(type)(state, dispatch)
}

const toggleCodeBlock = (state, dispatch) =>
  state.selection.$from.parent.type === codeBlock
    ? setBlockType(paragraph)(state, dispatch)
    : setBlockType(codeBlock)(state, dispatch)

/** Sets a link on the selection (or inserts `href` as linked text); an empty href removes it. */
const setLink = (href) => (state, dispatch) => {
  const { from, to, empty } = state.selection
  if (!href) {
    if (empty) return false
    if (dispatch) dispatch(state.tr.removeMark(from, to, link))
    return true
  }
  if (!safeHref(href)) return false
  const mark = link.create({ href })
  if (dispatch) {
    dispatch(empty
      ? state.tr.replaceSelectionWith(schema.text(href, [mark]), false)
      : state.tr.addMark(from, to, mark))
  }
  return true
}

/** The command for a toolbar name, or null for an unknown one. */
export const namedCommand = (name, arg) => {
  switch (name) {
    case 'bold': return toggleMark(strong)
    case 'italic': return toggleMark(em)
    case 'code': return toggleMark(code)
    case 'link': return setLink(typeof arg === 'string' ? arg.trim() : '')
    case 'heading': {
      const level = Number(arg)
      return level >= 1 && level <= 6 ? setBlockType(heading, { level }) : null
    }
    case 'paragraph': return setBlockType(paragraph)
    case 'bullet_list': return toggleList(bulletList)
    case 'ordered_list': return toggleList(orderedList)
    case 'code_block': return toggleCodeBlock
    case 'undo': return undoCmd
    case 'redo': return redoCmd
    default: return null
  }
}

const hardBreakCmd = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(hardBreak.create()).scrollIntoView())
  return true
})

/** Keymaps: formatting, y-prosemirror's undo/redo (not prosemirror-history), lists, base. */
export const editorKeymaps = () => [
  keymap({
    'Mod-b': toggleMark(strong),
    'Mod-i': toggleMark(em),
    'Mod-`': toggleMark(code),
    'Mod-z': undoCmd,
    'Mod-y': redoCmd,
    'Mod-Shift-z': redoCmd,
    'Mod-Alt-0': setBlockType(paragraph),
    'Mod-Alt-1': setBlockType(heading, { level: 1 }),
    'Mod-Alt-2': setBlockType(heading, { level: 2 }),
    'Mod-Alt-3': setBlockType(heading, { level: 3 }),
    'Shift-Enter': hardBreakCmd,
    Enter: splitListItem(schema.nodes.list_item),
    'Mod-[': liftListItem(schema.nodes.list_item),
    'Mod-]': sinkListItem(schema.nodes.list_item)
  }),
  keymap(baseKeymap)
]

const markActive = (state, type) => {
  const { from, $from, to, empty } = state.selection
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks())
  return state.doc.rangeHasMark(from, to, type)
}

const linkHref = (state) => {
  const { $from } = state.selection
  const mark = link.isInSet(state.storedMarks || $from.marks()) ||
    (state.selection.empty ? null : link.isInSet($from.nodeAfter ? $from.nodeAfter.marks : []))
  return mark ? mark.attrs.href : null
}

/** What the toolbar shows as pressed or enabled for this state. */
export const formatState = (state) => {
  const parent = state.selection.$from.parent
  const list = listAround(state)
  const undoManager = yUndoPluginKey.getState(state)?.undoManager
  return {
    bold: markActive(state, strong),
    italic: markActive(state, em),
    code: markActive(state, code),
    link: linkHref(state),
    heading: parent.type === heading ? parent.attrs.level : 0,
    paragraph: parent.type === paragraph,
    bullet: !!list && list.node.type === bulletList,
    ordered: !!list && list.node.type === orderedList,
    codeBlock: parent.type === codeBlock,
    canUndo: !!undoManager && undoManager.undoStack.length > 0,
    canRedo: !!undoManager && undoManager.redoStack.length > 0
  }
}
