//! Markdown (CommonMark) rendering of a document's content tree. Text is backslash-escaped so
//! it never turns into markup or raw HTML; links keep only safe targets.

use super::{int_attr, plain_text, Node, Run};

/// The content as Markdown.
pub fn markdown(nodes: &[Node]) -> String {
    let mut out = blocks(nodes).join("\n\n");
    out.push('\n');
    out
}

fn blocks(nodes: &[Node]) -> Vec<String> {
    let mut out = Vec::new();
    for node in nodes {
        match node {
            Node::Text(_) => out.push(inline(std::slice::from_ref(node), true)),
            Node::Element {
                tag,
                attrs,
                children,
            } => out.push(match tag.as_str() {
                "paragraph" => inline(children, true),
                "heading" => {
                    let level = int_attr(attrs, "level").unwrap_or(1).clamp(1, 6) as usize;
                    format!("{} {}", "#".repeat(level), inline(children, false))
                }
                "bullet_list" => list(children, |_| "- ".to_string()),
                "ordered_list" => {
                    let start = int_attr(attrs, "order").unwrap_or(1).max(0);
                    list(children, |i| format!("{}. ", start + i as i64))
                }
                "list_item" => blocks(children).join("\n\n"),
                "blockquote" => blocks(children)
                    .join("\n\n")
                    .lines()
                    .map(|l| {
                        if l.is_empty() {
                            ">".to_string()
                        } else {
                            format!("> {l}")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                "code_block" => {
                    let code = plain_text(children);
                    let fence = "`".repeat(longest_run(&code, '`').max(2) + 1);
                    format!("{fence}\n{code}\n{fence}")
                }
                "horizontal_rule" => "---".to_string(),
                _ => blocks(children).join("\n\n"),
            }),
        }
    }
    out
}

fn list(items: &[Node], marker: impl Fn(usize) -> String) -> String {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let marker = marker(i);
            let pad = " ".repeat(marker.len());
            let body = blocks(std::slice::from_ref(item)).join("\n\n");
            let mut lines = body.lines();
            let mut text = format!("{marker}{}", lines.next().unwrap_or(""));
            for line in lines {
                text.push('\n');
                if !line.is_empty() {
                    text.push_str(&pad);
                    text.push_str(line);
                }
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Inline content; `block_start` escapes what would start a block at the line's beginning.
fn inline(nodes: &[Node], block_start: bool) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(runs) => runs.iter().for_each(|r| out.push_str(&run(r))),
            Node::Element { tag, .. } if tag == "hard_break" => out.push_str("\\\n"),
            Node::Element { children, .. } => out.push_str(&inline(children, false)),
        }
    }
    if block_start {
        // A hard break's next line could start a block too.
        out.split('\n')
            .map(escape_block_start)
            .collect::<Vec<_>>()
            .join("\n")
    } else {
        out
    }
}

fn run(r: &Run) -> String {
    // Delimiters hug the text: surrounding spaces stay outside, or CommonMark ignores them.
    let trimmed = r.text.trim();
    if trimmed.is_empty() {
        return escape(&r.text);
    }
    let start = r.text.len() - r.text.trim_start().len();
    let (lead, rest) = r.text.split_at(start);
    let (core, trail) = rest.split_at(trimmed.len());
    let mut s = if r.code {
        let ticks = "`".repeat(longest_run(core, '`') + 1);
        let pad = if core.starts_with('`') || core.ends_with('`') {
            " "
        } else {
            ""
        };
        format!("{ticks}{pad}{core}{pad}{ticks}")
    } else {
        escape(core)
    };
    if r.em {
        s = format!("*{s}*");
    }
    if r.strong {
        s = format!("**{s}**");
    }
    if let Some(href) = &r.href {
        s = format!("[{s}](<{}>)", href.replace('<', "%3C").replace('>', "%3E"));
    }
    format!("{}{s}{}", escape(lead), escape(trail))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_[]<>{}()!|~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn escape_block_start(line: &str) -> String {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let after_digits = line[digits..].chars().next();
    if line.starts_with(['#', '-', '+', '='])
        || (digits > 0 && matches!(after_digits, Some('.') | Some(')')))
    {
        let at = if digits > 0 { digits } else { 0 };
        format!("{}\\{}", &line[..at], &line[at..])
    } else {
        line.to_string()
    }
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for ch in text.chars() {
        cur = if ch == c { cur + 1 } else { 0 };
        best = best.max(cur);
    }
    best
}
