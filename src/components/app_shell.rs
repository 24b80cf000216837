//! The signed-in frame: the header, and the gate that keeps visitors out.

use crate::api;
use crate::apps::leaves;
use crate::components::avatar::{Avatar, AvatarSize};
use crate::query::sign_in_href;
use crate::session::{Session, SignedOutReason};
use lanyard_wire::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// The layout route: header plus the matched page, for signed-in people only.
#[component]
pub fn AppShell() -> impl IntoView {
    view! {
        <AuthGate>
            <Outlet />
        </AuthGate>
    }
}

/// Shows `children` under the header once signed in; sends anyone else to
/// the sign-in page, remembering where they were going.
#[component]
pub fn AuthGate(children: ChildrenFn) -> impl IntoView {
    let session = Session::expect();
    let navigate = use_navigate();
    let location = use_location();

    Effect::new(move |_| {
        let Some(reason) = session.signed_out_reason() else {
            return;
        };
        let target = match reason {
            // Someone who signed out on purpose starts afresh.
            SignedOutReason::SignedOut => "/sign-in".to_owned(),
            SignedOutReason::NoSession | SignedOutReason::Expired => {
                // The router's `search` comes without its leading `?`.
                let search = location.search.get_untracked();
                let search = search.trim_start_matches('?');
                let mut here = location.pathname.get_untracked();
                if !search.is_empty() {
                    here = format!("{here}?{search}");
                }
                sign_in_href(&here)
            }
        };
        navigate(
            &target,
            NavigateOptions {
                replace: true,
                ..Default::default()
            },
        );
    });

    let signed_in = Memo::new(move |_| session.is_signed_in());
    view! {
        <Show when=move || signed_in.get() fallback=|| view! { <Splash /> }>
            <Header />
            <main class="page" id="main">
                {children()}
            </main>
        </Show>
    }
}

/// While the session is being checked: a calm, empty frame, not a flash of
/// the sign-in page.
#[component]
fn Splash() -> impl IntoView {
    view! {
        <div class="splash" aria-busy="true">
            <Brand />
        </div>
    }
}

/// The product mark and name.
#[component]
pub fn Brand() -> impl IntoView {
    view! {
        <span class="brand">
            <svg class="brand__mark" viewBox="0 0 32 32" aria-hidden="true">
                <path d="M9 2 L16 13 L23 2" fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round" />
                <rect x="7" y="13" width="18" height="17" rx="4" fill="currentColor" />
                <circle cx="16" cy="20" r="3" fill="#fff" />
                <rect x="11.5" y="25" width="9" height="2" rx="1" fill="#fff" />
            </svg>
            <span class="brand__name">"Lanyard"</span>
        </span>
    }
}

/// The top bar: brand, one's own photo, who is signed in, and sign-out.
#[component]
fn Header() -> impl IntoView {
    let session = Session::expect();
    let (busy, set_busy) = signal(false);
    let sign_out = move |_| {
        set_busy.set(true);
        spawn_local(async move {
            // Whatever the server says, this tab forgets the session: the
            // person asked to leave, and the cookie is cleared either way.
            if let Err(err) = api::sign_out().await {
                leptos::logging::warn!("sign-out: {err}");
            }
            set_busy.set(false);
            session.signed_out(SignedOutReason::SignedOut);
        });
    };
    let me = move || session.me();
    let is_hr = move || session.me().is_some_and(|me| me.role == Role::Hr);
    // Links into another bundle load it from the server (see `crate::apps`).
    let rel = |path: &str| leaves(path).then_some("external");

    view! {
        <header class="topbar">
            <div class="topbar__inner">
                <a class="topbar__home" href="/" rel=rel("/") aria-label="Lanyard, all people">
                    <Brand />
                </a>
                <div class="topbar__user">
                    // `A` marks the link `aria-current="page"` while on the page.
                    // The server refuses HR's API to others; the link is only hidden.
                    {move || is_hr().then(|| view! {
                        <A href="/hr/reviews" attr:rel=rel("/hr") attr:class="topbar__link" attr:data-testid="hr-link">"HR desk"</A>
                    })}
                    <A href="/me/photo" attr:rel=rel("/me/photo") attr:class="topbar__link" attr:data-testid="my-photo-link">"My photo"</A>
                    {move || {
                        me()
                            .map(|me| {
                                view! {
                                    <span class="topbar__me" data-testid="current-user">
                                        <Avatar name=me.name.clone() person=me.id photo=me.photo size=AvatarSize::Small />
                                        <span class="topbar__name">{me.name}</span>
                                    </span>
                                }
                            })
                    }}
                    <button
                        class="button button--ghost"
                        data-testid="sign-out"
                        on:click=sign_out
                        disabled=move || busy.get()
                    >
                        {move || if busy.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </div>
            </div>
        </header>
    }
}
