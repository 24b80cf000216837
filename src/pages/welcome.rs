//! `/welcome#token=…`: a one-time sign-in link from HR. Whose it is, a
//! password to choose, and in.
//!
//! The token is in the fragment, which browsers never send to a server (nor
//! in a `Referer`); the page reads it once, takes it out of the address bar
//! at once so history and bookmarks never keep it, and sends it in request
//! bodies only. It lives in memory until the password is set.

use crate::api;
use crate::components::app_shell::Brand;
use crate::hooks::use_title::use_title;
use crate::nav::{How, Nav};
use crate::session::Session;
use lanyard_wire::{SetPasswordRequest, SignInLinkInfo, MIN_PASSWORD_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsValue;

/// Opened without a token (or reloaded once it was taken out of the
/// address bar).
pub const NO_TOKEN: &str =
    "This page needs the whole sign-in link HR gave you: open that link again.";
/// Checked before asking the server.
pub const NO_PASSWORD: &str = "Choose a password.";
/// Checked before asking the server.
pub const NOT_THE_SAME: &str = "The two passwords are not the same.";

#[component]
pub fn WelcomePage() -> impl IntoView {
    use_title(|| "Welcome".into());
    // `None` while the server looks the link up; the error is its sentence.
    let (link, set_link) = signal(None::<Result<(String, SignInLinkInfo), String>>);
    match take_token() {
        None => set_link.set(Some(Err(NO_TOKEN.into()))),
        Some(token) => spawn_local(async move {
            let answer = api::check_sign_in_link(&token).await;
            set_link.try_set(Some(
                answer
                    .map(|info| (token, info))
                    .map_err(|e| e.user_message()),
            ));
        }),
    }
    // A link that stops working while its password is chosen (used in
    // another tab, replaced by a newer one, expired) says so the same way.
    let invalid = Callback::new(move |message: String| set_link.set(Some(Err(message))));

    view! {
        <div class="auth">
            <div class="auth__card">
                <Brand />
                {move || match link.get() {
                    None => view! { <p class="auth__lede" aria-busy="true">"Checking your link…"</p> }.into_any(),
                    Some(Err(message)) => view! {
                        <h1 class="auth__title">"This link can't be used"</h1>
                        <p class="form__error auth__problem" role="alert" data-testid="welcome-error">{message}</p>
                    }
                    .into_any(),
                    Some(Ok((token, info))) => view! { <ChoosePassword token info invalid /> }.into_any(),
                }}
            </div>
        </div>
    }
}

/// "Welcome, {name}", and the password form.
#[component]
fn ChoosePassword(token: String, info: SignInLinkInfo, invalid: Callback<String>) -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let token = StoredValue::new(token);
    let (password, set_password) = signal(String::new());
    let (repeat, set_repeat) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = password.get_untracked();
        if let Some(problem) = password_problem(&chosen, &repeat.get_untracked()) {
            set_error.set(Some(problem));
            return;
        }
        set_error.set(None);
        set_busy.set(true);
        let request = SetPasswordRequest {
            token: token.get_value(),
            password: chosen,
        };
        spawn_local(async move {
            let answer = api::set_password_with_link(&request).await;
            set_busy.try_set(false);
            match answer {
                Ok(me) => {
                    // Don't keep the password in memory longer than needed.
                    set_password.try_set(String::new());
                    set_repeat.try_set(String::new());
                    // Signed in first, so the directory's gate lets them in;
                    // replaced, so Back does not return to a spent link.
                    session.signed_in(me);
                    nav.navigate("/", How::Replace);
                }
                Err(err) if err.is_not_found() => invalid.run(err.user_message()),
                Err(err) => {
                    set_error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    let input = |testid: &'static str, value: ReadSignal<String>, set: WriteSignal<String>| {
        view! {
            <input
                class="input"
                type="password"
                autocomplete="new-password"
                data-testid=testid
                prop:value=value
                on:input:target=move |ev| set.set(ev.target().value())
            />
        }
    };

    view! {
        <h1 class="auth__title" data-testid="welcome-name">{format!("Welcome, {}", info.name)}</h1>
        <p class="auth__lede">"Choose a password for " <strong data-testid="welcome-email">{info.email.clone()}</strong> "."</p>
        <form class="form" on:submit=on_submit novalidate=true data-testid="welcome-form">
            // For password managers: whose password this is.
            <input type="email" name="email" autocomplete="username" value=info.email readonly=true hidden=true />
            <label class="field">
                <span class="field__label">"New password"</span>
                {input("welcome-password", password, set_password)}
                <span class="field__help">{format!("At least {MIN_PASSWORD_CHARS} characters; a few words together are easy to remember.")}</span>
            </label>
            <label class="field">
                <span class="field__label">"Repeat it"</span>
                {input("welcome-repeat", repeat, set_repeat)}
            </label>
            {move || error.get().map(|m| view! { <p class="form__error" role="alert" data-testid="welcome-form-error">{m}</p> })}
            <button
                class="button button--primary button--block"
                type="submit"
                data-testid="welcome-submit"
                disabled=move || busy.get()
                aria-busy=move || busy.get().to_string()
            >
                {move || if busy.get() { "Signing in…" } else { "Set password and sign in" }}
            </button>
        </form>
    }
}

/// The token from the address bar's fragment, which is then removed
/// (`replaceState`: the history entry itself loses it).
fn take_token() -> Option<String> {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if !hash.is_empty() {
        let clean = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        let replaced = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&JsValue::NULL, "", Some(&clean)));
        if let Err(err) = replaced {
            leptos::logging::warn!("could not clear the address bar: {err:?}");
        }
    }
    token_from_hash(&hash)
}

/// The `token` parameter of a fragment like `#token=abc` (other
/// parameters, as a mail client might add, are ignored). Tokens are
/// base64url, so nothing needs decoding; the server judges the rest.
pub fn token_from_hash(hash: &str) -> Option<String> {
    hash.strip_prefix('#')
        .unwrap_or(hash)
        .split('&')
        .find_map(|pair| pair.strip_prefix("token="))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(str::to_owned)
}

/// What is wrong with a new password before the server is asked: empty,
/// shorter than [`MIN_PASSWORD_CHARS`] (counted in characters, as the
/// server counts), or not repeated the same. The server checks the rest
/// (the email, the passwords everyone tries first) and says so in a
/// sentence.
pub fn password_problem(password: &str, repeat: &str) -> Option<String> {
    let chars = password.chars().count();
    if chars == 0 {
        return Some(NO_PASSWORD.into());
    }
    if chars < MIN_PASSWORD_CHARS {
        return Some(format!(
            "Choose a password of at least {MIN_PASSWORD_CHARS} characters; a few words together are easy to remember."
        ));
    }
    (password != repeat).then(|| NOT_THE_SAME.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_read_from_the_fragment() {
        assert_eq!(token_from_hash("#token=abc-_09"), Some("abc-_09".into()));
        assert_eq!(token_from_hash("token=abc"), Some("abc".into()));
        assert_eq!(
            token_from_hash("#utm=mail&token=abc&x=1"),
            Some("abc".into())
        );
        for nothing in [
            "",
            "#",
            "#token=",
            "#token= ",
            "#tokens=abc",
            "#x=token=abc",
        ] {
            assert_eq!(token_from_hash(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn passwords_are_checked_for_length_and_repetition_before_sending() {
        let long = "correct horse battery";
        assert_eq!(password_problem(long, long), None);
        assert_eq!(password_problem("", ""), Some(NO_PASSWORD.into()));
        let short = password_problem("short", "short").unwrap();
        assert!(short.contains(&MIN_PASSWORD_CHARS.to_string()), "{short}");
        assert_eq!(
            password_problem(long, "correct horse battery!"),
            Some(NOT_THE_SAME.into())
        );
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        // Twelve characters, 24 bytes.
        let twelve = "éééééééééééé";
        assert_eq!(password_problem(twelve, twelve), None);
        let eleven = "ééééééééééé";
        assert!(password_problem(eleven, eleven).is_some());
    }
}
