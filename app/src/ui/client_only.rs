//! Parts of a page that exist only in the browser, after hydration.

use leptos::prelude::*;

/// `false` on the server and while hydrating, `true` once the calling component is mounted in
/// the browser. Read a `LocalResource` only behind it: on the server such a read inside a
/// `<Suspense>`/`<Transition>` makes that boundary, and everything in it, render its fallback
/// (so a shell-level Suspense would send an empty page).
pub fn mounted() -> ReadSignal<bool> {
    let (mounted, set_mounted) = signal(false);
    Effect::new(move |_| set_mounted.set(true));
    mounted
}
