//! `/sign-in`: the company's identity provider, email and password, or
//! both — whatever `GET /api/session/options` says this server offers.

use crate::api::{self, ClientError};
use crate::components::app_shell::Brand;
use crate::components::signed_out::SignedOutNotice;
use crate::hooks::use_title::use_title;
use crate::nav::{How, Nav};
use crate::query::{safe_next, sso_start_href};
use crate::session::Session;
use lanyard_wire::{ErrorCode, Me, SignInOptions, SignInRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// The one message for a wrong password, an unknown email alike: saying
/// which would tell a stranger who works here.
pub const BAD_CREDENTIALS: &str = lanyard_wire::INVALID_CREDENTIALS;
/// Checked before asking the server.
pub const EMPTY_FIELDS: &str = "Enter your email and password.";
/// When the server offers neither the form nor a provider: what is left.
pub const NO_WAY_IN: &str = "Password sign-in is off here: ask HR for a sign-in link.";

#[component]
pub fn SignInPage() -> impl IntoView {
    use_title(|| "Sign in".into());
    let session = Session::expect();
    let nav = Nav::expect();
    let next = move || safe_next(nav.query_untracked("next").as_deref());

    // `None` until the server says how people sign in here.
    let (options, set_options) = signal(None::<SignInOptions>);
    spawn_local(async move {
        set_options.try_set(Some(offered(api::sign_in_options().await)));
    });

    // Signed in (just now, or already when the page opened): go on.
    Effect::new(move |_| {
        if session.is_signed_in() {
            nav.navigate(&next(), How::Replace);
        }
    });

    let provider_name = Signal::derive(move || {
        options.with(|o| {
            o.as_ref()
                .and_then(|o| o.provider.as_ref().map(|p| p.name.clone()))
        })
    });
    let methods = move || {
        let options = options.get()?;
        let provider = options.provider.map(|provider| {
            let href = sso_start_href(&provider.start, &next());
            view! {
                <a class="button button--primary button--block" href=href rel="external" data-testid="sso-sign-in">
                    {format!("Sign in with {}", provider.name)}
                </a>
            }
        });
        let both = options.password && provider.is_some();
        let form = options.password.then(|| view! { <PasswordForm /> });
        let stuck = (provider.is_none() && !options.password)
            .then(|| view! { <p class="form__error" role="alert" data-testid="sign-in-off">{NO_WAY_IN}</p> });
        Some(view! {
            <div class="auth__methods">
                {provider}
                {both.then(|| view! { <p class="auth__or">"or"</p> })}
                {form}
                {stuck}
            </div>
        })
    };

    view! {
        <div class="auth">
            <div class="auth__card">
                <Brand />
                <h1 class="auth__title">"Sign in"</h1>
                <p class="auth__lede">"Find the people you work with."</p>
                {move || session.provider_sign_out().map(|url| view! { <SignedOutNotice url provider=provider_name /> })}
                <div class="auth__body" aria-busy=move || options.with(Option::is_none).to_string()>
                    {methods}
                </div>
            </div>
        </div>
    }
}

/// What the page offers, from the server's answer. A failed request shows
/// the password form: a broken options call must never lock people out
/// (the server still decides whether a password may be used).
fn offered(answer: Result<SignInOptions, ClientError>) -> SignInOptions {
    answer.unwrap_or_else(|err| {
        leptos::logging::warn!("sign-in options: {err}");
        SignInOptions {
            password: true,
            provider: None,
        }
    })
}

/// Email and password, and the demo's hint (only where the form is).
#[component]
fn PasswordForm() -> impl IntoView {
    let session = Session::expect();
    let (email, set_email) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (error, set_error) = signal(None::<String>);

    let submit = Action::new_local(|request: &SignInRequest| {
        let request = request.clone();
        async move { api::sign_in(&request).await }
    });
    Effect::new(move |_| {
        if let Some(result) = submit.value().get() {
            match result {
                Ok(me) => on_signed_in(session, me, set_password),
                Err(err) => set_error.set(Some(sign_in_error(&err))),
            }
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SignInRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        if request.email.is_empty() || request.password.is_empty() {
            set_error.set(Some(EMPTY_FIELDS.into()));
            return;
        }
        set_error.set(None);
        submit.dispatch_local(request);
    };
    let busy = submit.pending();

    view! {
        <form class="form" on:submit=on_submit novalidate=true data-testid="sign-in-form">
            <label class="field">
                <span class="field__label">"Work email"</span>
                <input
                    class="input"
                    type="email"
                    name="email"
                    autocomplete="username"
                    inputmode="email"
                    placeholder="you@company.example"
                    data-testid="email"
                    prop:value=email
                    on:input:target=move |ev| set_email.set(ev.target().value())
                />
            </label>
            <label class="field">
                <span class="field__label">"Password"</span>
                <input
                    class="input"
                    type="password"
                    name="password"
                    autocomplete="current-password"
                    data-testid="password"
                    prop:value=password
                    on:input:target=move |ev| set_password.set(ev.target().value())
                />
            </label>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="form__error" role="alert" data-testid="sign-in-error">
                                {message}
                            </p>
                        }
                    })
            }}
            <button
                class="button button--primary button--block"
                type="submit"
                data-testid="sign-in-submit"
                disabled=move || busy.get()
                aria-busy=move || busy.get().to_string()
            >
                {move || if busy.get() { "Signing in…" } else { "Sign in" }}
            </button>
        </form>
        <p class="auth__hint">
            "Trying the demo? Sign in as " <code>"employee@lanyard.example"</code>
            " or " <code>"hr@lanyard.example"</code>
            " with the password the server printed when it started."
        </p>
    }
}

fn on_signed_in(session: Session, me: Me, set_password: WriteSignal<String>) {
    // Don't keep the password in memory longer than needed.
    set_password.set(String::new());
    session.signed_in(me);
}

/// The message for a failed sign-in.
fn sign_in_error(err: &ClientError) -> String {
    match err.code() {
        Some(ErrorCode::InvalidCredentials | ErrorCode::Unauthenticated) => BAD_CREDENTIALS.into(),
        Some(ErrorCode::RateLimited) => too_many_attempts(err.retry_after()),
        _ => err.user_message(),
    }
}

/// Too many sign-ins (or a locked email): when to come back, in the units
/// a person thinks in.
fn too_many_attempts(retry_after: Option<Duration>) -> String {
    let Some(wait) = retry_after else {
        return "Too many attempts — wait a minute, then try again.".into();
    };
    let secs = wait.as_secs().max(1);
    if secs < 60 {
        let unit = if secs == 1 { "second" } else { "seconds" };
        return format!("Too many attempts — try again in {secs} {unit}.");
    }
    let minutes = secs.div_ceil(60);
    let unit = if minutes == 1 { "minute" } else { "minutes" };
    format!("Too many attempts — try again in {minutes} {unit}.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanyard_wire::{ApiError, SignInProvider};

    #[test]
    fn wrong_credentials_get_the_one_message() {
        let err = ClientError::Api {
            status: 401,
            error: ApiError::new(ErrorCode::InvalidCredentials, "whatever the server says"),
            retry_after: None,
        };
        assert_eq!(sign_in_error(&err), BAD_CREDENTIALS);
    }

    #[test]
    fn too_many_attempts_says_when_to_come_back() {
        let limited = |secs: Option<u64>| ClientError::Api {
            status: 429,
            error: ApiError::new(ErrorCode::RateLimited, "Too many requests."),
            retry_after: secs.map(Duration::from_secs),
        };
        assert_eq!(
            sign_in_error(&limited(Some(900))),
            "Too many attempts — try again in 15 minutes."
        );
        assert_eq!(
            sign_in_error(&limited(Some(61))),
            "Too many attempts — try again in 2 minutes."
        );
        assert_eq!(
            sign_in_error(&limited(Some(60))),
            "Too many attempts — try again in 1 minute."
        );
        assert_eq!(
            sign_in_error(&limited(Some(1))),
            "Too many attempts — try again in 1 second."
        );
        assert_eq!(
            sign_in_error(&limited(Some(42))),
            "Too many attempts — try again in 42 seconds."
        );
        assert_eq!(
            sign_in_error(&limited(None)),
            "Too many attempts — wait a minute, then try again."
        );
    }

    #[test]
    fn a_failed_options_call_still_shows_the_password_form() {
        let offline = offered(Err(ClientError::Network("offline".into())));
        assert!(offline.password);
        assert_eq!(offline.provider, None);
        let sso_only = SignInOptions {
            password: false,
            provider: Some(SignInProvider {
                name: "Okta".into(),
                start: "/api/sso/start".into(),
            }),
        };
        assert_eq!(offered(Ok(sso_only.clone())), sso_only);
    }

    #[test]
    fn a_network_failure_is_not_blamed_on_the_password() {
        let err = ClientError::Network("offline".into());
        assert_ne!(sign_in_error(&err), BAD_CREDENTIALS);
    }
}
