//! The signed-in app shell: header with user, tenant switcher, theme and sign-out; area navigation.

use super::{errors::InternalErrorPage, theme::ThemeToggle, toast::ToastRegion};
use crate::auth::{
    api::SignOut, api::SwitchTenant, model::SessionInfo, reload_at, SessionResource,
};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect, A};

stylance::import_crate_style!(css, "src/ui/layout.module.css");

/// The areas of Atrium, in navigation order: (path, label).
pub const AREAS: &[(&str, &str)] = &[
    ("/", "Home"),
    ("/storefront", "Storefront"),
    ("/dashboards", "Dashboards"),
    ("/feed", "Feed"),
    ("/docs", "Documents"),
    ("/files", "Files"),
    ("/challenges", "Challenges"),
];

/// Wraps every signed-in page; signed-out visitors are sent to the sign-in page.
#[component]
pub fn Shell() -> impl IntoView {
    let session = expect_context::<SessionResource>().0;
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match session.await {
                    Ok(Some(info)) => view! { <ShellLayout info /> }.into_any(),
                    Ok(None) => view! { <Redirect path="/sign-in" /> }.into_any(),
                    Err(_) => view! { <InternalErrorPage /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ShellLayout(info: SessionInfo) -> impl IntoView {
    let info = StoredValue::new(info);
    view! {
        <div class="shell">
            <a class="skip-link" href="#main">"Skip to content"</a>
            <header class="shell-header">
                <A href="/" attr:class="brand">"Atrium"</A>
                <UserMenu info=info.get_value() />
            </header>
            <nav class="shell-nav" aria-label="Main">
                <ul class=css::nav_list>
                    {AREAS
                        .iter()
                        .map(|(href, label)| view! { <li><A href=*href exact=true>{*label}</A></li> })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" class="shell-main" tabindex="-1">
                <Outlet />
            </main>
            <ToastRegion />
        </div>
    }
}

/// Who is signed in, where, and the controls to change that.
#[component]
fn UserMenu(info: SessionInfo) -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let switch = ServerAction::<SwitchTenant>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            reload_at("/sign-in");
        }
    });
    Effect::new(move |_| match switch.value().get() {
        Some(Ok(())) => reload_at(&current_path()),
        Some(Err(e)) => super::toast::push_error(e.message),
        None => {}
    });
    let multi_tenant = info.memberships.len() > 1;
    let current = info.tenant_id.0.clone();
    view! {
        <div class="user-menu">
            <span class=css::identity>
                <span data-testid="current-user">{info.display_name.clone()} " (" {info.username.clone()} ")"</span>
                <span class="badge" data-testid="current-tenant">{info.tenant_name.clone()} " · " {info.role.as_str()}</span>
            </span>
            <Show when=move || multi_tenant>
                <label class="visually-hidden" for="tenant-switcher">"Tenant"</label>
                <select
                    id="tenant-switcher"
                    class=css::tenant_select
                    data-testid="tenant-switcher"
                    on:change=move |ev| {
                        switch.dispatch(SwitchTenant { tenant_id: event_target_value(&ev) });
                    }
                >
                    {info.memberships.iter().map(|m| {
                        let selected = m.tenant_id.0 == current;
                        view! { <option value=m.tenant_id.0.clone() selected=selected>{m.tenant_name.clone()}</option> }
                    }).collect_view()}
                </select>
            </Show>
            <A href="/settings/tokens" attr:class="btn btn-ghost">"API tokens"</A>
            <ThemeToggle />
            <ActionForm action=sign_out>
                <button type="submit" class="btn btn-ghost">"Sign out"</button>
            </ActionForm>
        </div>
    }
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".to_string())
}
