//! Restoring a revision: the live `prosemirror` fragment's children are replaced by copies of
//! the revision's, in one transaction, so the restore is an ordinary edit every peer receives.

use super::FRAGMENT;
use yrs::types::text::YChange;
use yrs::types::Attrs;
use yrs::updates::decoder::Decode;
use yrs::{
    Any, Doc, Out, Text, Transact, TransactionMut, Update, Xml, XmlElementPrelim, XmlFragment,
    XmlOut, XmlTextPrelim, XmlTextRef,
};

/// A document holding `state` (a whole-document update v1).
pub fn doc_from_state(state: &[u8]) -> Result<Doc, String> {
    let doc = Doc::new();
    let update = Update::decode_v1(state).map_err(|e| e.to_string())?;
    doc.transact_mut()
        .apply_update(update)
        .map_err(|e| e.to_string())?;
    Ok(doc)
}

/// Makes `live`'s content equal to `state`'s; returns the update of that change (empty when
/// nothing changed).
pub fn replace_content(live: &Doc, state: &[u8]) -> Result<Vec<u8>, String> {
    let source = doc_from_state(state)?;
    let source_root = source.get_or_insert_xml_fragment(FRAGMENT);
    let target = live.get_or_insert_xml_fragment(FRAGMENT);
    let read = source.transact();
    let mut txn = live.transact_mut();
    let len = target.len(&txn);
    if len > 0 {
        target.remove_range(&mut txn, 0, len);
    }
    copy_children(&source_root, &read, &target, &mut txn);
    Ok(txn.encode_update_v1())
}

fn copy_children<S, T>(from: &S, read: &yrs::Transaction, to: &T, txn: &mut TransactionMut)
where
    S: XmlFragment,
    T: XmlFragment,
{
    for (index, child) in from.children(read).enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        match child {
            XmlOut::Element(element) => {
                let copy = to.insert(txn, index, XmlElementPrelim::empty(element.tag().clone()));
                for (key, value) in element.attributes(read) {
                    if let Out::Any(any) = value {
                        copy.insert_attribute(txn, key, any);
                    }
                }
                copy_children(&element, read, &copy, txn);
            }
            XmlOut::Text(text) => {
                let copy = to.insert(txn, index, XmlTextPrelim::new(""));
                copy_text(&text, read, &copy, txn);
            }
            XmlOut::Fragment(fragment) => copy_children(&fragment, read, to, txn),
        }
    }
}

fn copy_text(
    from: &XmlTextRef,
    read: &yrs::Transaction,
    to: &XmlTextRef,
    txn: &mut TransactionMut,
) {
    for chunk in from.diff(read, YChange::identity) {
        let attrs: Attrs = chunk.attributes.map(|a| *a).unwrap_or_default();
        let at = to.len(txn);
        match chunk.insert {
            Out::Any(Any::String(s)) => to.insert_with_attributes(txn, at, &s, attrs),
            Out::Any(other) => {
                to.insert_embed_with_attributes(txn, at, other, attrs);
            }
            _ => {}
        }
    }
}
