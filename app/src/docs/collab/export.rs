//! Export: a document's content as HTML or Markdown, rendered on the server from the yrs
//! document that y-prosemirror writes (`prosemirror` XmlFragment; elements named after the
//! ProseMirror node types; text marks `strong`, `em`, `code`, `link {href}` as formatting).

use super::FRAGMENT;
use std::collections::HashMap;
use yrs::types::text::YChange;
use yrs::{Any, Doc, Out, ReadTxn, Text, Transact, Xml, XmlFragment, XmlOut};

#[path = "export_html.rs"]
mod html;
#[path = "export_md.rs"]
mod md;

pub use html::{html_document, html_fragment};
pub use md::markdown;

/// A block or inline node of the document, read out of yrs.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Element {
        tag: String,
        attrs: HashMap<String, Any>,
        children: Vec<Node>,
    },
    /// Runs of text, each with its marks.
    Text(Vec<Run>),
}

/// Text with one set of marks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Run {
    pub text: String,
    pub strong: bool,
    pub em: bool,
    pub code: bool,
    /// A link's target when it is safe to emit (see [`safe_href`]).
    pub href: Option<String>,
}

/// The document's content tree.
pub fn content(doc: &Doc) -> Vec<Node> {
    let root = doc.get_or_insert_xml_fragment(FRAGMENT);
    let txn = doc.transact();
    nodes(&root, &txn)
}

fn nodes<F: XmlFragment, T: ReadTxn>(parent: &F, txn: &T) -> Vec<Node> {
    parent
        .children(txn)
        .flat_map(|child| match child {
            XmlOut::Element(e) => vec![Node::Element {
                tag: e.tag().to_string(),
                attrs: e
                    .attributes(txn)
                    .filter_map(|(k, v)| match v {
                        Out::Any(any) => Some((k.to_string(), any)),
                        _ => None,
                    })
                    .collect(),
                children: nodes(&e, txn),
            }],
            XmlOut::Text(t) => vec![Node::Text(
                t.diff(txn, YChange::identity)
                    .into_iter()
                    .filter_map(|d| match d.insert {
                        Out::Any(Any::String(s)) => {
                            Some(run(s.to_string(), d.attributes.as_deref()))
                        }
                        _ => None,
                    })
                    .collect(),
            )],
            XmlOut::Fragment(f) => nodes(&f, txn),
        })
        .collect()
}

fn run(text: String, attrs: Option<&yrs::types::Attrs>) -> Run {
    let on = |name: &str| {
        attrs
            .and_then(|a| a.get(name))
            .is_some_and(|v| !matches!(v, Any::Null | Any::Undefined))
    };
    let href = attrs.and_then(|a| a.get("link")).and_then(|v| match v {
        Any::Map(m) => match m.get("href") {
            Some(Any::String(s)) => safe_href(s),
            _ => None,
        },
        Any::String(s) => safe_href(s),
        _ => None,
    });
    Run {
        text,
        strong: on("strong"),
        em: on("em"),
        code: on("code"),
        href,
    }
}

/// The href when it is http(s), mailto or relative; anything else (javascript:, data:, …) is
/// dropped and the text is kept without a link.
pub fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.chars().any(|c| c.is_control()) {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Some(href.to_string());
    }
    // Relative: no scheme before the first path, query or fragment delimiter.
    let head = lower.split(['/', '?', '#']).next().unwrap_or("");
    (!head.contains(':') && !lower.starts_with("//")).then(|| href.to_string())
}

/// An integer attribute (`level`, `order`): y-prosemirror writes numbers, older data strings.
pub fn int_attr(attrs: &HashMap<String, Any>, name: &str) -> Option<i64> {
    match attrs.get(name)? {
        Any::Number(yrs::Number::Int(n)) => Some(*n),
        Any::Number(yrs::Number::Float(f)) if f.is_finite() => Some(f.round() as i64),
        Any::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The plain text of nodes (code blocks).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(runs) => runs.iter().for_each(|r| out.push_str(&r.text)),
            Node::Element { tag, children, .. } if tag == "hard_break" => {
                out.push('\n');
                out.push_str(&plain_text(children));
            }
            Node::Element { children, .. } => out.push_str(&plain_text(children)),
        }
    }
    out
}

#[cfg(test)]
#[path = "export_tests.rs"]
mod tests;
