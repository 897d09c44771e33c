//! HTML rendering of a document's content tree. Every text and attribute is escaped; links keep
//! only safe targets.

use super::{int_attr, plain_text, Node, Run};
use html_escape::{encode_double_quoted_attribute, encode_text};

/// The content as an HTML fragment (for showing a revision inside a page).
pub fn html_fragment(nodes: &[Node]) -> String {
    let mut out = String::new();
    blocks(nodes, &mut out);
    out
}

/// A complete HTML page of the content titled `title` (the export).
pub fn html_document(title: &str, nodes: &[Node]) -> String {
    format!(
        "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n</head>\n<body>\n{}</body>\n</html>\n",
        encode_text(title),
        html_fragment(nodes)
    )
}

fn blocks(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(runs) => inline_runs(runs, out),
            Node::Element {
                tag,
                attrs,
                children,
            } => match tag.as_str() {
                "paragraph" => wrap("p", children, out),
                "heading" => {
                    let level = int_attr(attrs, "level").unwrap_or(1).clamp(1, 6);
                    wrap(&format!("h{level}"), children, out);
                }
                "bullet_list" => wrap("ul", children, out),
                "ordered_list" => match int_attr(attrs, "order").filter(|n| *n != 1) {
                    Some(start) => {
                        out.push_str(&format!("<ol start=\"{start}\">"));
                        blocks(children, out);
                        out.push_str("</ol>\n");
                    }
                    None => wrap("ol", children, out),
                },
                "list_item" => wrap("li", children, out),
                "blockquote" => wrap("blockquote", children, out),
                "code_block" => {
                    out.push_str("<pre><code>");
                    out.push_str(&encode_text(&plain_text(children)));
                    out.push_str("</code></pre>\n");
                }
                "horizontal_rule" => out.push_str("<hr>\n"),
                "hard_break" => out.push_str("<br>"),
                _ => blocks(children, out),
            },
        }
    }
}

fn wrap(tag: &str, children: &[Node], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    blocks(children, out);
    out.push_str(&format!("</{tag}>\n"));
}

fn inline_runs(runs: &[Run], out: &mut String) {
    for run in runs {
        let mut closing = Vec::new();
        if let Some(href) = &run.href {
            out.push_str(&format!(
                "<a href=\"{}\">",
                encode_double_quoted_attribute(href)
            ));
            closing.push("</a>");
        }
        for (on, open, close) in [
            (run.strong, "<strong>", "</strong>"),
            (run.em, "<em>", "</em>"),
            (run.code, "<code>", "</code>"),
        ] {
            if on {
                out.push_str(open);
                closing.push(close);
            }
        }
        out.push_str(&encode_text(&run.text));
        for close in closing.iter().rev() {
            out.push_str(close);
        }
    }
}
