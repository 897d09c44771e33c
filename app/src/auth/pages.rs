//! Sign-in page and the API tokens page.

use super::api::{demo_accounts, list_tokens, CreateToken, RevokeToken, SignIn};
use super::reload_at;
use crate::ui::toast::push_error;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where to go after signing in: `next` if it is a path on this site, else home. Anything
/// else (another origin, `//host`, a scheme) would make the sign-in page an open redirect.
pub fn local_path_or_home(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// Username + password form; lists the demo accounts in demo mode.
#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let demo = Resource::new(|| (), |_| demo_accounts());
    let query = leptos_router::hooks::use_query_map();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_in.value().get() {
            let next = query.read_untracked().get("next");
            reload_at(&local_path_or_home(next.as_deref()));
        }
    });
    let error = move || {
        sign_in
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message)
    };
    view! {
        <Title text="Sign in" />
        <a class="skip-link" href="#main">"Skip to content"</a>
        <main id="main" class="shell-main sign-in" tabindex="-1">
            <div class="card stack sign-in-card">
                <h1 class="page-title">"Sign in"</h1>
                <ActionForm action=sign_in attr:class="stack">
                    <div class="field">
                        <label for="username">"Username"</label>
                        <input id="username" name="username" autocomplete="username" required />
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required />
                    </div>
                    {move || error().map(|msg| view! { <p class="form-error" role="alert">{msg}</p> })}
                    <button type="submit" class="btn btn-primary" disabled=move || sign_in.pending().get()>
                        {move || if sign_in.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
            </div>
            <Suspense>
                {move || Suspend::new(async move {
                    let accounts = demo.await.unwrap_or_default();
                    (!accounts.is_empty()).then(|| view! {
                        <section class="card stack" aria-labelledby="demo-title" data-testid="demo-accounts">
                            <h2 id="demo-title">"Demo accounts"</h2>
                            <p class="muted">"Demo mode is on. Every account uses the password shown."</p>
                            <div class="table-wrap" tabindex="0" role="region" aria-label="Demo accounts">
                                <table class="table">
                                    <thead><tr><th scope="col">"Username"</th><th scope="col">"Password"</th><th scope="col">"Organisations"</th></tr></thead>
                                    <tbody>
                                        {accounts.into_iter().map(|a| view! {
                                            <tr><td><code>{a.username}</code></td><td><code>{a.password}</code></td><td>{a.tenants}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        </section>
                    })
                })}
            </Suspense>
        </main>
    }
}

/// Create, list and revoke personal API tokens for the active tenant.
#[component]
pub fn TokensPage() -> impl IntoView {
    let create = ServerAction::<CreateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let tokens = Resource::new(
        move || (create.version().get(), revoke.version().get()),
        |_| list_tokens(),
    );
    Effect::new(move |_| {
        if let Some(Err(e)) = revoke.value().get() {
            push_error(e.message);
        }
    });
    let created = move || create.value().get().and_then(|r| r.ok());
    let create_error = move || {
        create
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message)
    };
    view! {
        <Title text="API tokens" />
        <h1 class="page-title">"API tokens"</h1>
        <p class="muted">"Tokens let scripts call Atrium's API as you, in this organisation: send "
            <code>"Authorization: Bearer <token>"</code> "."</p>
        <ActionForm action=create attr:class="card stack">
            <div class="field">
                <label for="token-name">"Token name"</label>
                <input id="token-name" name="name" maxlength="64" required />
            </div>
            {move || create_error().map(|msg| view! { <p class="field-error" role="alert">{msg}</p> })}
            <div class="row"><button type="submit" class="btn btn-primary">"Create token"</button></div>
        </ActionForm>
        {move || created().map(|t| view! {
            <div class="card stack" role="status">
                <p>"Copy this token now — it will not be shown again."</p>
                <code class="code" data-testid="new-token">{t.secret}</code>
            </div>
        })}
        <Transition fallback=|| view! { <p class="muted">"Loading tokens…"</p> }>
            {move || Suspend::new(async move {
                match tokens.await {
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state"><p>"No tokens yet."</p></div>
                    }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Your API tokens">
                            <table class="table">
                                <thead><tr><th scope="col">"Name"</th><th scope="col">"Created"</th><th scope="col">"Last used"</th><th scope="col"><span class="visually-hidden">"Actions"</span></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|t| {
                                        let id = t.id.clone();
                                        view! {
                                            <tr>
                                                <td>{t.name}</td>
                                                <td>{t.created_at}</td>
                                                <td>{t.last_used_at.unwrap_or_else(|| "never".into())}</td>
                                                <td>
                                                    <button type="button" class="btn btn-danger"
                                                        on:click=move |_| { revoke.dispatch(RevokeToken { id: id.clone() }); }>
                                                        "Revoke"
                                                    </button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(e) => view! { <p class="form-error" role="alert">{e.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[cfg(test)]
mod tests {
    use super::local_path_or_home;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(
            local_path_or_home(Some("/storefront/checkout")),
            "/storefront/checkout"
        );
        assert_eq!(local_path_or_home(Some("//evil.example")), "/");
        assert_eq!(local_path_or_home(Some("https://evil.example")), "/");
        assert_eq!(local_path_or_home(Some("/\\evil.example")), "/");
        assert_eq!(local_path_or_home(None), "/");
    }
}
