//! The healer's rules, one scenario per test, on a simulated clock:
//! renewals, visibility, clock jumps and subscriptions. Failures, retries
//! and giving up are in `failure_tests.rs`.

use super::*;
use lanyard_wire::{PhotoSize, Timestamp};

pub(super) const T0: i64 = 1_700_000_000_000;
/// Thumbnails in these tests live 10 s; renewal is due 8 s after signing.
pub(super) const LIFETIME: i64 = 10_000;

pub(super) fn key(person: i64) -> PhotoKey {
    PhotoKey {
        person: EmployeeId(person),
        size: PhotoSize::Thumb,
    }
}

pub(super) fn url(person: i64, signed_at: i64) -> PhotoUrl {
    PhotoUrl {
        url: format!("http://store/p/{person}?signed={signed_at}"),
        signed_at: Timestamp(signed_at),
        expires_at: Timestamp(signed_at + LIFETIME),
    }
}

pub(super) fn answer(people: &[i64], signed_at: i64) -> Vec<PersonPhotoUrl> {
    people
        .iter()
        .map(|&p| PersonPhotoUrl {
            person: EmployeeId(p),
            photo: Some(url(p, signed_at)),
        })
        .collect()
}

/// A healer with `people` mounted and on screen, their URLs signed at T0.
pub(super) fn on_screen(people: impl IntoIterator<Item = i64>) -> Healer {
    let mut healer = Healer::new(Settings::DEFAULT);
    for p in people {
        healer.subscribe(key(p), Some(url(p, T0)));
        healer.set_visible(key(p), true, T0);
    }
    healer.take_changes();
    healer
}

pub(super) fn ids(batch: &Batch) -> Vec<i64> {
    batch.people.iter().map(|p| p.0).collect()
}

#[test]
fn nothing_is_due_before_the_renewal_point() {
    let mut healer = on_screen(1..=3);
    assert_eq!(healer.next_wakeup(), Some(T0 + 8_000));
    assert!(healer.poll(T0 + 7_999).is_empty());
}

#[test]
fn a_screenful_due_together_is_renewed_in_one_batch() {
    let mut healer = on_screen(1..=48);

    let batches = healer.poll(T0 + 8_000);

    assert_eq!(batches.len(), 1);
    assert_eq!(ids(&batches[0]), (1..=48).collect::<Vec<_>>());
    assert_eq!(batches[0].size, PhotoSize::Thumb);
    // In flight: nothing more is sent until it answers.
    assert!(healer.poll(T0 + 9_000).is_empty());
    assert_eq!(healer.next_wakeup(), None);
}

#[test]
fn a_renewal_swaps_in_the_new_url_and_schedules_the_next() {
    let mut healer = on_screen([7]);
    let batch = healer.poll(T0 + 8_000).remove(0);

    healer.answered(&batch, &answer(&[7], T0 + 8_000), T0 + 8_050);

    assert_eq!(healer.take_changes(), [key(7)]);
    let view = healer.view(key(7));
    assert_eq!(view.phase, Phase::Usable);
    assert_eq!(view.url.unwrap(), url(7, T0 + 8_000).url);
    assert_eq!(healer.next_wakeup(), Some(T0 + 16_000));
}

#[test]
fn batches_are_split_by_rendition_and_capped() {
    let mut healer = on_screen(1..=250);
    let profile = PhotoKey {
        person: EmployeeId(1),
        size: PhotoSize::Profile,
    };
    healer.subscribe(profile, Some(url(1, T0)));
    healer.set_visible(profile, true, T0);

    let batches = healer.poll(T0 + 8_000);

    let shape: Vec<(PhotoSize, usize)> = batches.iter().map(|b| (b.size, b.people.len())).collect();
    assert_eq!(
        shape,
        [
            (PhotoSize::Thumb, 200),
            (PhotoSize::Thumb, 50),
            (PhotoSize::Profile, 1)
        ]
    );
}

#[test]
fn off_screen_photos_are_never_refreshed() {
    let mut healer = on_screen([1]);
    healer.subscribe(key(2), Some(url(2, T0)));
    // Person 3 was on screen, then scrolled away.
    healer.subscribe(key(3), Some(url(3, T0)));
    healer.set_visible(key(3), true, T0);
    healer.set_visible(key(3), false, T0 + 1_000);

    let batches = healer.poll(T0 + 60_000);

    assert_eq!(batches.len(), 1);
    assert_eq!(ids(&batches[0]), [1]);
}

#[test]
fn coming_on_screen_after_expiry_waits_for_a_fresh_url_first() {
    let mut healer = on_screen([]);
    healer.subscribe(key(4), Some(url(4, T0)));
    assert_eq!(healer.view(key(4)).phase, Phase::Usable);

    healer.set_visible(key(4), true, T0 + 20_000);

    // The expired URL is not offered to the <img>; a refresh is due now.
    assert_eq!(healer.view(key(4)).phase, Phase::Waiting);
    assert_eq!(healer.view(key(4)).url, None);
    assert_eq!(ids(&healer.poll(T0 + 20_000)[0]), [4]);
}

#[test]
fn coming_on_screen_past_renewal_but_not_expiry_shows_and_renews() {
    let mut healer = on_screen([]);
    healer.subscribe(key(4), Some(url(4, T0)));

    healer.set_visible(key(4), true, T0 + 8_500);

    assert_eq!(healer.view(key(4)).phase, Phase::Usable);
    assert_eq!(healer.next_wakeup(), Some(T0 + 8_000));
}

#[test]
fn a_clock_jump_costs_one_batch_not_a_storm() {
    // The browser clock jumps ten minutes ahead: every URL looks expired.
    let mut healer = on_screen(1..=48);
    let jumped = T0 + 2_000 + 600_000;

    let batches = healer.poll(jumped);
    assert_eq!(batches.len(), 1);
    // The answer's server time corrects the clock: `now` is right again.
    let real_now = T0 + 2_050;
    let signed = T0 + 2_000;
    healer.answered(
        &batches[0],
        &answer(&(1..=48).collect::<Vec<_>>(), signed),
        real_now,
    );

    assert_eq!(healer.next_wakeup(), Some(signed + 8_000));
    assert!(healer.poll(real_now + 10).is_empty());
}

#[test]
fn a_batch_sent_while_the_clock_ran_ahead_does_not_hold_back_the_next() {
    // The browser clock was set 10 minutes forward: the renewal goes out
    // stamped with that time; its answer puts the clock right again.
    let mut healer = on_screen([1]);
    let ahead = T0 + 8_000 + 600_000;
    let batch = healer.poll(ahead).remove(0);
    healer.answered(&batch, &answer(&[1], T0 + 8_000), T0 + 8_050);

    // The next renewal is due on time, not ten minutes late.
    assert_eq!(healer.next_wakeup(), Some(T0 + 16_000));
    assert_eq!(healer.poll(T0 + 16_000).len(), 1);
}

#[test]
fn a_component_mounting_with_a_newer_url_replaces_the_held_one() {
    let mut healer = on_screen([1]);
    healer.subscribe(key(1), Some(url(1, T0 + 5_000)));
    assert_eq!(healer.view(key(1)).url.unwrap(), url(1, T0 + 5_000).url);
    // An older one does not.
    healer.subscribe(key(1), Some(url(1, T0)));
    assert_eq!(healer.view(key(1)).url.unwrap(), url(1, T0 + 5_000).url);
}

#[test]
fn the_last_unsubscribe_forgets_the_photo_and_its_answer_is_dropped() {
    let mut healer = on_screen([1]);
    let batch = healer.poll(T0 + 8_000).remove(0);

    healer.unsubscribe(key(1), true);
    healer.answered(&batch, &answer(&[1], T0 + 8_000), T0 + 8_010);

    assert_eq!(healer.view(key(1)).phase, Phase::NoPhoto);
    assert_eq!(healer.next_wakeup(), None);
    assert!(healer.take_changes().is_empty());
}

#[test]
fn two_components_of_one_photo_share_one_refresh() {
    let mut healer = on_screen([1]);
    healer.subscribe(key(1), Some(url(1, T0)));
    healer.set_visible(key(1), true, T0);

    let batches = healer.poll(T0 + 8_000);
    assert_eq!(ids(&batches[0]), [1]);

    // One of them leaves the screen: the other still keeps it renewed.
    healer.unsubscribe(key(1), true);
    healer.answered(&batches[0], &answer(&[1], T0 + 8_000), T0 + 8_010);
    assert_eq!(healer.poll(T0 + 16_000).len(), 1);
}

#[test]
fn a_long_afternoon_costs_one_batch_per_window() {
    // 48 photos on screen for an hour of 10 s lifetimes: one renewal batch
    // per wave, each photo always holding a live URL.
    let mut healer = on_screen(1..=48);
    let people: Vec<i64> = (1..=48).collect();
    let mut now = T0;
    let mut batches_sent = 0;
    while now < T0 + 3_600_000 {
        now = healer.next_wakeup().unwrap();
        for batch in healer.poll(now) {
            batches_sent += 1;
            // The server signs at the start of its 1.25 s window.
            let signed = now - now.rem_euclid(1_250);
            healer.answered(&batch, &answer(&people, signed), now + 20);
        }
        for &p in &people {
            let view = healer.view(key(p));
            assert_eq!(view.phase, Phase::Usable);
        }
    }
    // A wave every 7.5–8 s over 3600 s.
    assert!((450..=485).contains(&batches_sent), "{batches_sent}");
}
