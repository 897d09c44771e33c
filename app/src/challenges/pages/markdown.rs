//! A small, safe Markdown subset for challenge descriptions: headings, paragraphs, lists,
//! fenced code, `code`, **strong** and *emphasis*. It builds DOM nodes, never HTML strings, so
//! any HTML in the text shows as text (no crate here renders Markdown to the browser safely
//! without also shipping an HTML sanitiser to wasm).

use leptos::prelude::*;

/// A block of the description.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Heading(u8, Vec<Inline>),
    Paragraph(Vec<Inline>),
    List {
        ordered: bool,
        items: Vec<Vec<Inline>>,
    },
    Code(String),
}

/// A run of text inside a block.
#[derive(Clone, Debug, PartialEq)]
pub enum Inline {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
}

/// Splits `src` into blocks.
pub fn parse(src: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<Vec<Inline>>)> = None;
    let mut code: Option<Vec<&str>> = None;
    let flush = |blocks: &mut Vec<Block>,
                 para: &mut Vec<&str>,
                 list: &mut Option<(bool, Vec<Vec<Inline>>)>| {
        if !para.is_empty() {
            blocks.push(Block::Paragraph(inline(&para.join(" "))));
            para.clear();
        }
        if let Some((ordered, items)) = list.take() {
            blocks.push(Block::List { ordered, items });
        }
    };
    for line in src.lines() {
        if let Some(lines) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                blocks.push(Block::Code(lines.join("\n")));
                code = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        let t = line.trim();
        if t.starts_with("```") {
            flush(&mut blocks, &mut para, &mut list);
            code = Some(Vec::new());
        } else if t.is_empty() {
            flush(&mut blocks, &mut para, &mut list);
        } else if let Some((level, text)) = heading(t) {
            flush(&mut blocks, &mut para, &mut list);
            blocks.push(Block::Heading(level, inline(text)));
        } else if let Some((ordered, text)) = list_item(t) {
            if !para.is_empty() || list.as_ref().is_some_and(|(o, _)| *o != ordered) {
                flush(&mut blocks, &mut para, &mut list);
            }
            list.get_or_insert_with(|| (ordered, Vec::new()))
                .1
                .push(inline(text));
        } else if let Some((_, items)) = list.as_mut().filter(|_| line.starts_with("  ")) {
            // A continuation line of the last list item.
            if let Some(last) = items.last_mut() {
                last.push(Inline::Text(" ".into()));
                last.extend(inline(t));
            }
        } else {
            if list.is_some() {
                flush(&mut blocks, &mut para, &mut list);
            }
            para.push(t);
        }
    }
    if let Some(lines) = code {
        blocks.push(Block::Code(lines.join("\n")));
    }
    flush(&mut blocks, &mut para, &mut list);
    blocks
}

fn heading(t: &str) -> Option<(u8, &str)> {
    let hashes = t.bytes().take_while(|b| *b == b'#').count();
    let rest = t.get(hashes..)?;
    (1..=6).contains(&hashes).then_some(())?;
    rest.strip_prefix(' ')
        .map(|text| (hashes as u8, text.trim()))
}

fn list_item(t: &str) -> Option<(bool, &str)> {
    if let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, rest));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    t.get(digits..)?.strip_prefix(". ").map(|rest| (true, rest))
}

/// Splits a line into text, `code`, **strong** and *emphasis* runs; unmatched markers stay text.
pub fn inline(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        let span = match c {
            '`' => delimited(rest, "`").map(|(inner, n)| (Inline::Code(inner.into()), n)),
            '*' if rest.starts_with("**") => {
                delimited(rest, "**").map(|(inner, n)| (Inline::Strong(inner.into()), n))
            }
            '*' | '_' => {
                delimited(rest, &rest[..1]).map(|(inner, n)| (Inline::Emphasis(inner.into()), n))
            }
            _ => None,
        };
        match span {
            Some((node, used)) => {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(node);
                rest = &rest[used..];
            }
            None => {
                text.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// `marker inner marker` at the start of `s`: the inner text and the bytes used.
fn delimited<'a>(s: &'a str, marker: &str) -> Option<(&'a str, usize)> {
    let body = s.strip_prefix(marker)?;
    let end = body.find(marker)?;
    (end > 0).then(|| (&body[..end], marker.len() * 2 + end))
}

fn inline_view(runs: Vec<Inline>) -> impl IntoView {
    runs.into_iter()
        .map(|r| match r {
            Inline::Text(t) => t.into_any(),
            Inline::Code(t) => view! { <code>{t}</code> }.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
        })
        .collect_view()
}

/// Renders Markdown text as DOM nodes (headings start at `h3`: the page owns h1 and h2).
#[component]
pub fn Markdown(text: String) -> impl IntoView {
    parse(&text)
        .into_iter()
        .map(|b| match b {
            Block::Heading(1, runs) => view! { <h3>{inline_view(runs)}</h3> }.into_any(),
            Block::Heading(2, runs) => view! { <h4>{inline_view(runs)}</h4> }.into_any(),
            Block::Heading(_, runs) => view! { <h5>{inline_view(runs)}</h5> }.into_any(),
            Block::Paragraph(runs) => view! { <p>{inline_view(runs)}</p> }.into_any(),
            Block::Code(code) => view! { <pre class="code"><code>{code}</code></pre> }.into_any(),
            Block::List { ordered: true, items } => view! {
                <ol>{items.into_iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect_view()}</ol>
            }
            .into_any(),
            Block::List { ordered: false, items } => view! {
                <ul>{items.into_iter().map(|i| view! { <li>{inline_view(i)}</li> }).collect_view()}</ul>
            }
            .into_any(),
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_recognised() {
        let md = "# Title\n\nWrite `add(a, b)`.\nIt **must** return.\n\n- one\n- two\n\n1. first\n\n```python\ndef f():\n    pass\n```\n";
        assert_eq!(
            parse(md),
            vec![
                Block::Heading(1, vec![Inline::Text("Title".into())]),
                Block::Paragraph(vec![
                    Inline::Text("Write ".into()),
                    Inline::Code("add(a, b)".into()),
                    Inline::Text(". It ".into()),
                    Inline::Strong("must".into()),
                    Inline::Text(" return.".into()),
                ]),
                Block::List {
                    ordered: false,
                    items: vec![
                        vec![Inline::Text("one".into())],
                        vec![Inline::Text("two".into())]
                    ]
                },
                Block::List {
                    ordered: true,
                    items: vec![vec![Inline::Text("first".into())]]
                },
                Block::Code("def f():\n    pass".into()),
            ]
        );
    }

    #[test]
    fn html_and_stray_markers_stay_text() {
        assert_eq!(
            inline("<script>alert(1)</script> 2*3 a_b"),
            vec![Inline::Text("<script>alert(1)</script> 2*3 a_b".into())]
        );
        assert_eq!(
            parse("#nospace"),
            vec![Block::Paragraph(vec![Inline::Text("#nospace".into())])]
        );
    }
}
