//! `Avatar`: a person's photo, or their initials when there is none.
//!
//! One component for every photo in the app, so every photo gets the same
//! care: its URL is owned by the photo healer ([`use_photo`]): loaded only
//! once the avatar is on screen, renewed before it expires, replaced when
//! the `<img>` fails, and after repeated failures shown as the initials
//! placeholder with a retry control. Alt text, no Referer (the URL is a
//! credential), and a fixed square frame so the layout never jumps: the
//! initials sit underneath until the photo has loaded over them.
//!
//! `data-photo` on the frame says where the photo stands, for styling and
//! tests: `none` (no photo), `waiting` (not on screen yet, or a fresh URL is
//! on its way), `loading`, `loaded`, `failed` (gave up: retry control).

use crate::hooks::use_photo::use_photo;
use crate::photos::healer::Phase;
use lanyard_wire::{EmployeeId, PhotoSize, PhotoUrl};
use leptos::either::Either;
use leptos::html::Span;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The square sizes the design uses, in CSS pixels.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AvatarSize {
    /// Header and person links.
    Small,
    /// Directory cards.
    #[default]
    Medium,
    /// The profile page.
    Large,
}

impl AvatarSize {
    pub const fn pixels(self) -> u32 {
        match self {
            Self::Small => 40,
            Self::Medium => 96,
            Self::Large => 176,
        }
    }

    /// The rendition shown at this size: the profile page's large photo is
    /// the 480 px profile image, everything else the 160 px thumbnail.
    pub const fn rendition(self) -> PhotoSize {
        match self {
            Self::Large => PhotoSize::Profile,
            Self::Small | Self::Medium => PhotoSize::Thumb,
        }
    }

    const fn class(self) -> &'static str {
        match self {
            Self::Small => "avatar avatar--sm",
            Self::Medium => "avatar avatar--md",
            Self::Large => "avatar avatar--lg",
        }
    }
}

/// What the `<img>` inside one avatar is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ImgState {
    Loading,
    Loaded,
}

/// A person's photo (when `photo` is set and loads) or initials placeholder.
#[component]
pub fn Avatar(
    /// The person's name: alt text, initials and placeholder colour.
    #[prop(into)]
    name: String,
    /// Whose photo: the healer refreshes URLs by person.
    person: EmployeeId,
    /// The presigned URL from the page's data, if the person has an approved
    /// photo; of the rendition [`AvatarSize::rendition`] names.
    photo: Option<PhotoUrl>,
    #[prop(optional)] size: AvatarSize,
) -> impl IntoView {
    // Set through the CSSOM (`style:`), which the Content-Security-Policy
    // allows; a `style` attribute would need 'unsafe-inline'.
    let colour = placeholder_colour(&name);
    let initials_text = initials(&name);
    let Some(photo) = photo else {
        return Either::Left(view! {
            <span
                class=size.class()
                data-testid="avatar"
                data-person=person.0
                data-photo="none"
                style:background-color=colour
            >
                <span class="avatar__initials" data-testid="avatar-initials" role="img" aria-label=name>
                    {initials_text}
                </span>
            </span>
        });
    };

    let frame = NodeRef::<Span>::new();
    let handle = use_photo(person, size.rendition(), Some(photo), frame);
    let src = Memo::new(move |_| handle.src());
    let has_img = Memo::new(move |_| src.with(Option::is_some));
    let (img_state, set_img_state) = signal(ImgState::Loading);
    // A new <img> element starts loading.
    Effect::new(move |_| {
        if has_img.get() {
            set_img_state.set(ImgState::Loading);
        }
    });
    let phase = move || handle.view.with(|v| v.phase);
    let state = move || match phase() {
        Phase::NoPhoto => "none",
        Phase::GaveUp => "failed",
        Phase::Waiting => "waiting",
        Phase::Usable if !has_img.get() => "waiting",
        Phase::Usable => match img_state.get() {
            ImgState::Loading => "loading",
            ImgState::Loaded => "loaded",
        },
    };
    let shown = move || has_img.get() && img_state.get() == ImgState::Loaded;
    let px = size.pixels();
    let alt = format!("Photo of {name}");
    let retry_label = format!("Try loading the photo of {name} again");

    Either::Right(view! {
        <span
            class=size.class()
            node_ref=frame
            data-testid="avatar"
            data-person=person.0
            data-photo=state
            data-photo-error=move || (phase() == Phase::GaveUp).then_some("true")
            style:background-color=colour
        >
            {move || {
                (!shown())
                    .then(|| {
                        view! {
                            <span
                                class="avatar__initials"
                                data-testid="avatar-initials"
                                role="img"
                                aria-label=name.clone()
                            >
                                {initials_text.clone()}
                            </span>
                        }
                    })
            }}
            {move || {
                has_img
                    .get()
                    .then(|| {
                        view! {
                            <img
                                class="avatar__img"
                                decoding="async"
                                referrerpolicy="no-referrer"
                                width=px
                                height=px
                                alt=alt.clone()
                                data-testid="avatar-img"
                                src=move || src.get()
                                on:load=move |ev| {
                                    if let Some(url) = img_src(&ev) {
                                        set_img_state.set(ImgState::Loaded);
                                        handle.loaded(&url);
                                    }
                                }
                                on:error=move |ev| {
                                    if let Some(url) = img_src(&ev) {
                                        handle.failed(&url);
                                    }
                                }
                            />
                        }
                    })
            }}
            {move || {
                (phase() == Phase::GaveUp)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="avatar__retry"
                                data-testid="photo-retry"
                                title="Try again"
                                aria-label=retry_label.clone()
                                on:click=move |ev| {
                                    // The avatar may sit inside a link (a
                                    // directory card): retry, don't navigate.
                                    ev.prevent_default();
                                    ev.stop_propagation();
                                    handle.retry();
                                }
                            >
                                "↻"
                            </button>
                        }
                    })
            }}
        </span>
    })
}

/// The `src` attribute of the `<img>` an event came from, exactly as set
/// (the `src` property would be the browser's normalised form).
fn img_src(ev: &web_sys::Event) -> Option<String> {
    ev.target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .get_attribute("src")
}

/// Up to two letters: the first of the first and of the last word, upper
/// case. "Ada Lovelace" → "AL", "Plato" → "P", "" → "?".
pub fn initials(name: &str) -> String {
    let first_letter = |word: &str| word.chars().find(|c| c.is_alphanumeric());
    let mut words = name
        .split_whitespace()
        .filter(|w| first_letter(w).is_some());
    let first = words.next().and_then(first_letter);
    let last = words.next_back().and_then(first_letter);
    let letters: String = first.into_iter().chain(last).collect();
    if letters.is_empty() {
        "?".into()
    } else {
        upper_case(&letters)
    }
}

/// Full Unicode upper case ("é" → "É", "ß" → "SS"). In the browser this is
/// the JS engine's own `toUpperCase`: Rust's would compile a second copy of
/// Unicode's case tables into the bundle (≈ 7 KB gzip, docs/performance.md).
#[cfg(target_arch = "wasm32")]
fn upper_case(text: &str) -> String {
    js_sys::JsString::from(text).to_upper_case().into()
}

/// Native builds (the unit tests) use Rust's, which maps the same way.
#[cfg(not(target_arch = "wasm32"))]
fn upper_case(text: &str) -> String {
    text.to_uppercase()
}

/// Calm, mid-tone backgrounds that carry white initials at WCAG AA contrast.
const PALETTE: [&str; 10] = [
    "#3b6ea8", // blue
    "#2f7d6d", // teal
    "#5b6bbf", // indigo
    "#8a5a9e", // plum
    "#b0523f", // brick
    "#9a6a1f", // ochre
    "#4f7d3a", // moss
    "#a2476f", // raspberry
    "#3f7f95", // steel
    "#6b6b7e", // slate
];

/// The placeholder colour for a name: the same name always gets the same
/// colour (FNV-1a, stable across browsers and releases, unlike `Hash`).
pub fn placeholder_colour(name: &str) -> &'static str {
    let mut hash: u32 = 0x811c_9dc5;
    for byte in name.trim().bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    PALETTE[(hash % PALETTE.len() as u32) as usize]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn initials_take_first_and_last_word() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("Ada King Lovelace"), "AL");
        assert_eq!(initials("plato"), "P");
        assert_eq!(initials("  grace   hopper "), "GH");
    }

    #[test]
    fn initials_handle_accents_punctuation_and_nothing() {
        assert_eq!(initials("Élodie Durand"), "ÉD");
        assert_eq!(initials("Seán O'Brien"), "SO");
        assert_eq!(initials("ßara öz"), "SSÖ");
        assert_eq!(initials("(Ada) - Lovelace"), "AL");
        assert_eq!(initials(""), "?");
        assert_eq!(initials(" - "), "?");
    }

    #[test]
    fn colours_are_fnv_1a_of_the_trimmed_name() {
        // Expected values computed outside Rust (Python's FNV-1a 32-bit:
        // "" hashes to the FNV offset basis 0x811c9dc5, the published
        // test vector), then taken modulo the palette's 10 colours.
        for (name, colour) in [
            ("Ada Lovelace", "#4f7d3a"),   // 0xfe5e7cfe % 10 = 6
            ("Grace Hopper", "#8a5a9e"),   // 0x33759c8b % 10 = 3
            ("", "#2f7d6d"),               // 0x811c9dc5 % 10 = 1
            ("Zoë", "#3b6ea8"),            // 0xc2a2bddc % 10 = 0 (UTF-8 bytes)
            (" Ada Lovelace ", "#4f7d3a"), // trimmed first
        ] {
            assert_eq!(placeholder_colour(name), colour, "{name:?}");
        }
    }

    #[test]
    fn colours_spread_over_the_palette() {
        let names = (0..200).map(|i| format!("Person {i}"));
        let used: HashSet<_> = names.map(|n| placeholder_colour(&n)).collect();
        assert!(
            used.len() >= PALETTE.len() - 1,
            "only {} colours",
            used.len()
        );
    }

    #[test]
    fn sizes_are_fixed_squares() {
        // style/directory.css's boxes are 96 and 176 px and the small one
        // is the list's 40 px: the sizes are pinned against those numbers.
        assert_eq!(AvatarSize::Small.pixels(), 40);
        assert_eq!(AvatarSize::Medium.pixels(), 96);
        assert_eq!(AvatarSize::Large.pixels(), 176);
    }
}
