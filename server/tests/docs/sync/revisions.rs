//! Export and revisions over REST, checked against connected clients.

use super::client::{create_doc, share, stored_blocks, Auth, YClient};
use super::{has, WAIT};
use crate::common::{error_code, TestServer};
use serde_json::{json, Value};
use yrs::sync::{Message, SyncMessage};
use yrs::types::Attrs;
use yrs::{Any, Text, Transact, Xml, XmlElementPrelim, XmlFragment, XmlTextPrelim};

fn get(srv: &TestServer, path: &str, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new().get(srv.url(path)).bearer_auth(token)
}

fn post(srv: &TestServer, path: &str, token: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .post(srv.url(path))
        .bearer_auth(token)
}

/// A heading, a paragraph with bold and a link, and a list, written like y-prosemirror does.
async fn write_rich(c: &mut YClient) {
    let update = {
        let root = c.doc.get_or_insert_xml_fragment("prosemirror");
        let mut txn = c.doc.transact_mut();
        let h = root.push_back(&mut txn, XmlElementPrelim::empty("heading"));
        h.insert_attribute(&mut txn, "level", Any::from(1i64));
        h.push_back(&mut txn, XmlTextPrelim::new("Title <1>"));
        let p = root.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        let t = p.push_back(&mut txn, XmlTextPrelim::new(""));
        let bold: Attrs = [("strong".into(), Any::Map(Default::default()))].into();
        t.insert_with_attributes(&mut txn, 0, "bold", bold);
        let href = Any::Map(std::sync::Arc::new(
            [("href".to_string(), Any::from("https://x.test/"))].into(),
        ));
        t.insert_with_attributes(&mut txn, 4, " link", [("link".into(), href)].into());
        let ul = root.push_back(&mut txn, XmlElementPrelim::empty("bullet_list"));
        let li = ul.push_back(&mut txn, XmlElementPrelim::empty("list_item"));
        let lp = li.push_back(&mut txn, XmlElementPrelim::empty("paragraph"));
        lp.push_back(&mut txn, XmlTextPrelim::new("item"));
        txn.encode_update_v1()
    };
    c.send(Message::Sync(SyncMessage::Update(update))).await;
}

#[tokio::test]
async fn export_renders_markdown_and_html_of_a_client_built_doc() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "Q3 plan: \"final\"").await;
    share(&srv, &doc, "user_a", "view").await;
    let mut a = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    write_rich(&mut a).await;
    stored_blocks(&srv, &doc, 3).await;
    let path = format!("/api/v1/docs/{doc}/export");
    let res = get(&srv, &format!("{path}?format=md"), "token_user_a")
        .send()
        .await
        .expect("md");
    assert_eq!(res.status(), 200);
    let header = |res: &reqwest::Response, name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header(&res, "content-type"), "text/markdown; charset=utf-8");
    assert_eq!(
        header(&res, "content-disposition"),
        "attachment; filename=\"Q3-plan-final.md\""
    );
    let md = res.text().await.expect("text");
    assert_eq!(
        md,
        "# Title \\<1\\>\n\n**bold** [link](<https://x.test/>)\n\n- item\n"
    );
    let res = get(&srv, &format!("{path}?format=html"), "token_admin_a")
        .send()
        .await
        .expect("html");
    assert_eq!(header(&res, "content-type"), "text/html; charset=utf-8");
    let html = res.text().await.expect("text");
    assert!(html.contains("<title>Q3 plan: \"final\"</title>"), "{html}");
    assert!(html.contains("<h1>Title &lt;1&gt;</h1>\n<p><strong>bold</strong><a href=\"https://x.test/\"> link</a></p>"), "{html}");
    assert!(html.contains("<ul><li><p>item</p>"), "{html}");
    let res = get(&srv, &format!("{path}?format=pdf"), "token_admin_a")
        .send()
        .await
        .expect("pdf");
    assert_eq!(res.status(), 422);
    assert_eq!(error_code(res).await, "validation");
    let res = get(&srv, &format!("{path}?format=md"), "token_admin_b")
        .send()
        .await
        .expect("b");
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn revisions_are_created_listed_and_restored_as_a_new_edit() {
    let srv = TestServer::start(&[]).await;
    let doc = create_doc(&srv, "admin_a", "company_a", "History").await;
    share(&srv, &doc, "user_a", "edit").await;
    let mut editor = YClient::synced(&srv, &doc, &Auth::Token("token_user_a")).await;
    editor.add_paragraph("version one").await;
    stored_blocks(&srv, &doc, 1).await;
    let mut watcher = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(watcher.paragraphs(), ["version one"]);

    let revs = format!("/api/v1/docs/{doc}/revisions");
    let res = post(&srv, &revs, "token_user_a")
        .json(&json!({"name": "first"}))
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), 201);
    let created: Value = res.json().await.expect("json");
    assert_eq!(created["name"], "first");
    assert_eq!(created["created_by"], "User A");
    let rev = created["id"].as_i64().expect("id");
    let res = post(&srv, &revs, "token_user_a")
        .json(&json!({"name": " "}))
        .send()
        .await
        .expect("blank");
    assert_eq!(res.status(), 422);

    editor.add_paragraph("version two").await;
    assert!(watcher.wait_until(has("version two"), WAIT).await);
    let list: Value = get(&srv, &revs, "token_user_a")
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["id"], rev);

    let restore = format!("{revs}/{rev}/restore");
    let res = post(&srv, &restore, "token_user_a")
        .send()
        .await
        .expect("restore");
    assert_eq!(res.status(), 403, "editors cannot restore");
    let res = post(&srv, &restore, "token_admin_b")
        .send()
        .await
        .expect("restore");
    assert_eq!(res.status(), 404);
    let res = post(&srv, &format!("{revs}/999/restore"), "token_admin_a")
        .send()
        .await
        .expect("restore");
    assert_eq!(res.status(), 404);
    let res = post(&srv, &restore, "token_admin_a")
        .send()
        .await
        .expect("restore");
    assert_eq!(res.status(), 204);
    // Both connected clients receive the restore as an edit and converge on revision one.
    let only_one = |c: &YClient| c.paragraphs() == ["version one"];
    assert!(
        editor.wait_until(only_one, WAIT).await,
        "{:?}",
        editor.paragraphs()
    );
    assert!(
        watcher.wait_until(only_one, WAIT).await,
        "{:?}",
        watcher.paragraphs()
    );
    let fresh = YClient::synced(&srv, &doc, &Auth::Token("token_admin_a")).await;
    assert_eq!(fresh.paragraphs(), ["version one"]);
    // Editing continues on top of the restored content.
    editor.add_paragraph("after restore").await;
    assert!(watcher.wait_until(has("after restore"), WAIT).await);
    assert_eq!(watcher.paragraphs(), ["version one", "after restore"]);
    let html = app::docs::collab::export::html_fragment(&app::docs::collab::export::content(
        &app::docs::collab::restore::doc_from_state(
            &app::docs::collab::store::revision_state(&srv.state.pool, &doc, rev)
                .await
                .expect("rev"),
        )
        .expect("doc"),
    ));
    assert_eq!(html, "<p>version one</p>\n");
}
