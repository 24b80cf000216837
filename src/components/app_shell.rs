//! The signed-in frame: the header, and the gate that keeps visitors out.

use crate::api;
use crate::components::avatar::{Avatar, AvatarSize};
use crate::components::signed_out::SignedOutPage;
use crate::nav::{How, Nav, NavLink};
use crate::query::sign_in_href;
use crate::session::{Session, SignedOutReason};
use lanyard_wire::Role;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Shows `children` under the header once signed in; sends anyone else to
/// the sign-in page, remembering where they were going.
#[component]
pub fn AuthGate(children: ChildrenFn) -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();

    // Signed out on purpose of a single sign-on session, in a bundle whose
    // sign-in page is another bundle's: the provider's sign-out page is
    // offered here, since the page load to `/sign-in` would forget it.
    let signed_out_here = move || {
        (session.signed_out_reason() == Some(SignedOutReason::SignedOut) && nav.leaves("/sign-in"))
            .then(|| session.provider_sign_out())
            .flatten()
    };

    Effect::new(move |_| {
        let Some(reason) = session.signed_out_reason() else {
            return;
        };
        let target = match reason {
            SignedOutReason::SignedOut if untrack(signed_out_here).is_some() => return,
            // Someone who signed out on purpose starts afresh.
            SignedOutReason::SignedOut => "/sign-in".to_owned(),
            SignedOutReason::NoSession | SignedOutReason::Expired => {
                let here = nav.path_untracked() + &nav.search_untracked();
                sign_in_href(&here)
            }
        };
        nav.navigate(&target, How::Replace);
    });

    let signed_in = Memo::new(move |_| session.is_signed_in());
    let fallback = move || {
        move || match signed_out_here() {
            Some(url) => view! { <SignedOutPage url /> }.into_any(),
            None => view! { <Splash /> }.into_any(),
        }
    };
    view! {
        <Show when=move || signed_in.get() fallback>
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
            // Its answer may offer the identity provider's sign-out too.
            let answer = api::sign_out().await;
            set_busy.set(false);
            match answer {
                Ok(signed_out) => session.signed_out_by_request(signed_out),
                Err(err) => {
                    leptos::logging::warn!("sign-out: {err}");
                    session.signed_out(SignedOutReason::SignedOut);
                }
            }
        });
    };
    let me = move || session.me();
    let is_hr = move || session.me().is_some_and(|me| me.role == Role::Hr);

    view! {
        <header class="topbar">
            <div class="topbar__inner">
                <a class="topbar__home" href="/" aria-label="Lanyard, all people">
                    <Brand />
                </a>
                <div class="topbar__user">
                    // `NavLink` marks the link `aria-current="page"` while on the page.
                    // The server refuses HR's API to others; the link is only hidden.
                    {move || is_hr().then(|| view! {
                        <NavLink href="/hr/reviews" class="topbar__link" testid="hr-link">"HR desk"</NavLink>
                    })}
                    <NavLink href="/me/photo" class="topbar__link" testid="my-photo-link">"My photo"</NavLink>
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
