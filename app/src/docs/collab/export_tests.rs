use super::*;
use crate::docs::collab::restore::replace_content;
use std::sync::Arc;
use yrs::types::Attrs;
use yrs::updates::decoder::Decode;
use yrs::{Any, Doc, Text, Transact, Xml, XmlElementPrelim, XmlFragment, XmlTextPrelim};

fn attrs(pairs: &[(&str, Any)]) -> Attrs {
    pairs
        .iter()
        .map(|(k, v)| (Arc::from(*k), v.clone()))
        .collect()
}

fn empty_mark() -> Any {
    Any::Map(Arc::new(HashMap::new()))
}

fn link(href: &str) -> Any {
    Any::Map(Arc::new(HashMap::from([(
        "href".to_string(),
        Any::from(href),
    )])))
}

/// A document like y-prosemirror writes it.
fn sample() -> Doc {
    let doc = Doc::new();
    let root = doc.get_or_insert_xml_fragment("prosemirror");
    let mut txn = doc.transact_mut();
    let h = root.push_back(&mut txn, XmlElementPrelim::empty("heading"));
    h.insert_attribute(&mut txn, "level", Any::from(2i64));
    let t = h.push_back(&mut txn, XmlTextPrelim::new(""));
    t.insert(&mut txn, 0, "Plan <b>");
    let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
    let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
    t.insert_with_attributes(&mut txn, 0, "bold", attrs(&[("strong", empty_mark())]));
    t.insert_with_attributes(&mut txn, 4, " and ", Attrs::new());
    t.insert_with_attributes(
        &mut txn,
        9,
        "site",
        attrs(&[("link", link("https://a.test/?q=1&r=\"2\""))]),
    );
    t.insert_with_attributes(
        &mut txn,
        13,
        " evil",
        attrs(&[("link", link("javascript:alert(1)"))]),
    );
    p.push_back(&mut txn, XmlElementPrelim::empty("hard_break"));
    let t2 = p.push_back(&mut txn, XmlTextPrelim::new(""));
    t2.insert_with_attributes(
        &mut txn,
        0,
        "x*y",
        attrs(&[("em", empty_mark()), ("code", Any::Null)]),
    );
    let ul = root.push_back(&mut txn, XmlElementPrelim::empty("bullet_list"));
    for word in ["one", "two"] {
        let li = ul.push_back(&mut txn, XmlElementPrelim::empty("list_item"));
        let p = li.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
        t.insert(&mut txn, 0, word);
    }
    let ol = root.push_back(&mut txn, XmlElementPrelim::empty("ordered_list"));
    ol.insert_attribute(&mut txn, "order", Any::from(3.0f64));
    let li = ol.push_back(&mut txn, XmlElementPrelim::empty("list_item"));
    let p = li.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
    let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
    t.insert_with_attributes(&mut txn, 0, "code", attrs(&[("code", empty_mark())]));
    let cb = root.push_back(&mut txn, XmlElementPrelim::empty("code_block"));
    let t = cb.push_back(&mut txn, XmlTextPrelim::new(""));
    t.insert(&mut txn, 0, "fn main() { <x> }\n```");
    let q = root.push_back(&mut txn, XmlElementPrelim::empty("blockquote"));
    let p = q.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
    let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
    t.insert(&mut txn, 0, "# not a heading");
    root.push_back(&mut txn, XmlElementPrelim::empty("horizontal_rule"));
    drop(txn);
    doc
}

const HTML: &str = "<h2>Plan &lt;b&gt;</h2>\n\
<p><strong>bold</strong> and <a href=\"https://a.test/?q=1&amp;r=&quot;2&quot;\">site</a> evil<br><em>x*y</em></p>\n\
<ul><li><p>one</p>\n</li>\n<li><p>two</p>\n</li>\n</ul>\n\
<ol start=\"3\"><li><p><code>code</code></p>\n</li>\n</ol>\n\
<pre><code>fn main() { &lt;x&gt; }\n```</code></pre>\n\
<blockquote><p># not a heading</p>\n</blockquote>\n\
<hr>\n";

#[test]
fn html_escapes_text_and_keeps_only_safe_links() {
    let html = html_fragment(&content(&sample()));
    assert_eq!(html, HTML);
    let page = html_document("<script>x</script>", &content(&sample()));
    assert!(page.contains("<title>&lt;script&gt;x&lt;/script&gt;</title>"));
    assert!(!page.contains("javascript:"));
}

#[test]
fn markdown_renders_marks_lists_and_escapes() {
    let md = markdown(&content(&sample()));
    let expected = "## Plan \\<b\\>\n\n\
**bold** and [site](<https://a.test/?q=1&r=\"2\">) evil\\\n*x\\*y*\n\n\
- one\n- two\n\n\
3. `code`\n\n\
````\nfn main() { <x> }\n```\n````\n\n\
> \\# not a heading\n\n\
---\n";
    assert_eq!(md, expected);
}

#[test]
fn hrefs_are_filtered() {
    for ok in [
        "https://x.test",
        "HTTP://x",
        "mailto:a@b.test",
        "/docs/1",
        "#top",
        "page?x=1",
        "a/b:c",
    ] {
        assert!(safe_href(ok).is_some(), "{ok}");
    }
    for bad in [
        "javascript:alert(1)",
        " JavaScript:x",
        "data:text/html,x",
        "vbscript:x",
        "//evil.test",
        "java\nscript:x",
        "",
    ] {
        assert!(safe_href(bad).is_none(), "{bad}");
    }
}

#[test]
fn replacing_content_copies_structure_marks_and_attributes() {
    let source = sample();
    let state = source
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    let live = Doc::new();
    {
        let root = live.get_or_insert_xml_fragment("prosemirror");
        let mut txn = live.transact_mut();
        let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        p.push_back(&mut txn, XmlTextPrelim::new("old text"));
    }
    let update = replace_content(&live, &state).expect("replace");
    assert!(!update.is_empty());
    assert_eq!(html_fragment(&content(&live)), HTML);
    // A peer that applies the update converges.
    let peer = Doc::new();
    let before = live
        .transact()
        .encode_state_as_update_v1(&yrs::StateVector::default());
    peer.transact_mut()
        .apply_update(yrs::Update::decode_v1(&before).expect("decode"))
        .expect("apply");
    assert_eq!(html_fragment(&content(&peer)), HTML);
}
