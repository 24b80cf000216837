//! `Avatar`: a person's photo, or their initials when there is none.
//!
//! One component for every photo in the app, so every photo gets the same
//! care: `loading="lazy"` (off-screen photos are neither fetched nor, later,
//! renewed), alt text, no Referer (the URL is a credential), and a fixed
//! square box so the layout never jumps while it loads. When the image fails
//! (for now: any error; later: an expired URL gets healed first) the
//! initials placeholder takes its place.

use lanyard_wire::PhotoUrl;
use leptos::either::Either;
use leptos::prelude::*;

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

    const fn class(self) -> &'static str {
        match self {
            Self::Small => "avatar avatar--sm",
            Self::Medium => "avatar avatar--md",
            Self::Large => "avatar avatar--lg",
        }
    }
}

/// A person's photo (when `photo` is set and loads) or initials placeholder.
#[component]
pub fn Avatar(
    /// The person's name: alt text, initials and placeholder colour.
    #[prop(into)]
    name: String,
    /// The presigned URL, if the person has an approved photo.
    photo: Option<PhotoUrl>,
    #[prop(optional)] size: AvatarSize,
) -> impl IntoView {
    let (failed, set_failed) = signal(false);
    let placeholder = {
        let name = name.clone();
        // `after_error` marks a placeholder standing in for a photo that
        // failed to load, so tests (and later, healing) can find it.
        move |after_error: bool| {
            view! {
                <span
                    class=format!("{} avatar--initials", size.class())
                    data-photo-error=after_error.then_some("true")
                    style=format!("background-color: {}", placeholder_colour(&name))
                    role="img"
                    aria-label=name.clone()
                    data-testid="avatar-initials"
                >
                    {initials(&name)}
                </span>
            }
        }
    };
    let Some(photo) = photo else {
        return Either::Left(placeholder(false));
    };
    let px = size.pixels();
    Either::Right(move || {
        if failed.get() {
            return Either::Left(placeholder(true));
        }
        // `loading` comes before `src` so the browser knows the image is lazy
        // before it could start fetching it.
        Either::Right(view! {
            <img
                class=size.class()
                loading="lazy"
                decoding="async"
                referrerpolicy="no-referrer"
                width=px
                height=px
                alt=format!("Photo of {name}")
                data-testid="avatar-img"
                data-expires-at=photo.expires_at.as_millis()
                src=photo.url.clone()
                on:error=move |_| set_failed.set(true)
            />
        })
    })
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
    let letters: String = first
        .into_iter()
        .chain(last)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        "?".into()
    } else {
        letters
    }
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
        assert_eq!(initials("(Ada) - Lovelace"), "AL");
        assert_eq!(initials(""), "?");
        assert_eq!(initials(" - "), "?");
    }

    #[test]
    fn colour_is_deterministic() {
        assert_eq!(
            placeholder_colour("Ada Lovelace"),
            placeholder_colour("Ada Lovelace")
        );
        assert_eq!(
            placeholder_colour(" Ada Lovelace "),
            placeholder_colour("Ada Lovelace")
        );
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
        assert!(AvatarSize::Small.pixels() < AvatarSize::Medium.pixels());
        assert!(AvatarSize::Medium.pixels() < AvatarSize::Large.pixels());
    }
}
