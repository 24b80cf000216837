//! The healer's rules, one scenario per test, on a simulated clock.

use super::*;
use crate::photos::backoff::Backoff;
use lanyard_wire::{PhotoSize, Timestamp};

const T0: i64 = 1_700_000_000_000;
/// Thumbnails in these tests live 10 s; renewal is due 8 s after signing.
const LIFETIME: i64 = 10_000;

fn key(person: i64) -> PhotoKey {
    PhotoKey {
        person: EmployeeId(person),
        size: PhotoSize::Thumb,
    }
}

fn url(person: i64, signed_at: i64) -> PhotoUrl {
    PhotoUrl {
        url: format!("http://store/p/{person}?signed={signed_at}"),
        signed_at: Timestamp(signed_at),
        expires_at: Timestamp(signed_at + LIFETIME),
    }
}

fn answer(people: &[i64], signed_at: i64) -> Vec<PersonPhotoUrl> {
    people
        .iter()
        .map(|&p| PersonPhotoUrl {
            person: EmployeeId(p),
            photo: Some(url(p, signed_at)),
        })
        .collect()
}

/// A healer with `people` mounted and on screen, their URLs signed at T0.
fn on_screen(people: impl IntoIterator<Item = i64>) -> Healer {
    let mut healer = Healer::new(Settings::DEFAULT);
    for p in people {
        healer.subscribe(key(p), Some(url(p, T0)));
        healer.set_visible(key(p), true, T0);
    }
    healer.take_changes();
    healer
}

fn ids(batch: &Batch) -> Vec<i64> {
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
fn an_expired_photo_that_fails_is_refreshed_at_once() {
    let mut healer = on_screen([1, 2]);
    let now = T0 + LIFETIME + 5;

    healer.failed(key(1), &url(1, T0).url, now, 0.99);
    healer.failed(key(2), &url(2, T0).url, now + 30, 0.99);

    assert_eq!(healer.view(key(1)).phase, Phase::Waiting);
    assert_eq!(healer.next_wakeup(), Some(now));
    let batches = healer.poll(now + 50);
    assert_eq!(batches.len(), 1, "both in one batch");
    assert_eq!(ids(&batches[0]), [1, 2]);
}

#[test]
fn nearly_expired_counts_as_expired() {
    let settings = Settings::DEFAULT;
    let u = url(1, T0);
    // Margin: min(3 s, a tenth of 10 s) = 1 s.
    assert!(!expired_or_nearly(&u, T0 + 8_999, &settings));
    assert!(expired_or_nearly(&u, T0 + 9_000, &settings));
    assert!(expired_or_nearly(&u, T0 + 60_000, &settings));
}

#[test]
fn a_fresh_photo_that_fails_backs_off_and_failures_share_one_retry() {
    let mut healer = on_screen(1..=48);
    let now = T0 + 1_000;

    for p in 1..=48 {
        // Different draws: the first failure's draw sets the shared slot.
        healer.failed(key(p), &url(p, T0).url, now + p, p as f64 / 50.0);
    }

    // Retry 0's ceiling is 500 ms; the first draw was 1/50 of it.
    let wake = healer.next_wakeup().unwrap();
    assert_eq!(wake, now + 1 + 10);
    let batches = healer.poll(wake);
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].people.len(), 48);
}

#[test]
fn a_photo_gives_up_after_the_last_retry_and_never_loops() {
    let mut healer = on_screen([1]);
    let mut now = T0 + 1_000;
    let mut sent = 0;
    // The store is down: every load fails, every refresh answers the same URL.
    for _ in 0..20 {
        healer.failed(key(1), &url(1, T0).url, now, 1.0);
        if healer.view(key(1)).phase == Phase::GaveUp {
            break;
        }
        now = healer.next_wakeup().expect("a retry is scheduled");
        let batch = healer.poll(now).remove(0);
        sent += 1;
        healer.answered(&batch, &answer(&[1], T0), now + 10);
        assert_eq!(healer.view(key(1)).phase, Phase::Usable);
    }
    assert_eq!(healer.view(key(1)).phase, Phase::GaveUp);
    assert_eq!(sent, Backoff::PHOTOS.attempts);
    assert_eq!(healer.view(key(1)).url, None);
}

#[test]
fn retries_are_spaced_by_the_policy_ceilings() {
    let mut healer = on_screen([1]);
    let mut now = T0 + 1_000;
    let mut gaps = Vec::new();
    loop {
        healer.failed(key(1), &url(1, T0).url, now, 1.0);
        if healer.view(key(1)).phase == Phase::GaveUp {
            break;
        }
        let next = healer.next_wakeup().expect("a retry is scheduled");
        gaps.push(next - now);
        now = next;
        let batch = healer.poll(now).remove(0);
        healer.answered(&batch, &answer(&[1], T0), now);
    }
    // Full jitter at draw 1.0 is the ceiling of each level.
    assert_eq!(gaps, [500, 1_000, 2_000, 4_000]);
}

#[test]
fn a_retry_sooner_than_the_minimum_gap_waits_for_it() {
    let mut healer = on_screen([1]);
    let now = T0 + 1_000;
    healer.failed(key(1), &url(1, T0).url, now, 0.0);
    let batch = healer.poll(now).remove(0);
    healer.answered(&batch, &answer(&[1], T0), now + 5);

    healer.failed(key(1), &url(1, T0).url, now + 10, 0.0);

    assert!(healer.poll(now + 10).is_empty());
    assert_eq!(healer.next_wakeup(), Some(now + 250));
    assert_eq!(healer.poll(now + 250).len(), 1);
}

#[test]
fn errors_from_a_replaced_url_are_ignored() {
    let mut healer = on_screen([1]);
    let batch = healer.poll(T0 + 8_000).remove(0);
    healer.answered(&batch, &answer(&[1], T0 + 8_000), T0 + 8_010);

    healer.failed(key(1), &url(1, T0).url, T0 + 8_020, 0.5);

    assert_eq!(healer.view(key(1)).phase, Phase::Usable);
    assert_eq!(healer.next_wakeup(), Some(T0 + 16_000));
}

/// Drives `people` through failures until all gave up; returns the time.
fn give_up(healer: &mut Healer, people: &[i64], mut now: i64) -> i64 {
    for _ in 0..=Backoff::PHOTOS.attempts {
        for &p in people {
            healer.failed(key(p), &url(p, T0).url, now, 1.0);
        }
        let Some(next) = healer.next_wakeup() else {
            break;
        };
        if people
            .iter()
            .all(|&p| healer.view(key(p)).phase == Phase::GaveUp)
        {
            return now;
        }
        now = next;
        for batch in healer.poll(now) {
            healer.answered(&batch, &answer(people, T0), now);
        }
    }
    now
}

#[test]
fn after_giving_up_one_probe_at_a_time_tries_again() {
    let mut healer = on_screen(1..=10);
    let people: Vec<i64> = (1..=10).collect();
    let now = give_up(&mut healer, &people, T0 + 1_000);
    assert!(people
        .iter()
        .all(|&p| healer.view(key(p)).phase == Phase::GaveUp));

    // The probe comes 2–4 s later (draw 1.0: 4 s), for one photo only.
    let probe_at = healer.next_wakeup().unwrap();
    assert_eq!(probe_at, now + 4_000);
    let batches = healer.poll(probe_at);
    assert_eq!(batches.len(), 1);
    assert_eq!(ids(&batches[0]), [1]);
    healer.answered(&batches[0], &answer(&[1], T0), probe_at);

    // It fails again: the next probe waits longer (4–8 s).
    healer.failed(key(1), &url(1, T0).url, probe_at + 10, 1.0);
    assert_eq!(healer.view(key(1)).phase, Phase::GaveUp);
    assert_eq!(healer.next_wakeup(), Some(probe_at + 10 + 8_000));
}

#[test]
fn when_one_photo_loads_again_every_given_up_photo_comes_back_in_one_batch() {
    let mut healer = on_screen(1..=10);
    let people: Vec<i64> = (1..=10).collect();
    let now = give_up(&mut healer, &people, T0 + 1_000);
    let probe_at = healer.next_wakeup().unwrap();
    let batch = healer.poll(probe_at).remove(0);
    healer.answered(&batch, &answer(&[1], T0), probe_at);

    healer.loaded(key(1), &url(1, T0).url, probe_at + 100);

    let batches = healer.poll(probe_at + 100);
    assert_eq!(batches.len(), 1);
    assert_eq!(ids(&batches[0]), (2..=10).collect::<Vec<_>>());
    assert!(now < probe_at);
}

#[test]
fn the_retry_control_tries_that_photo_once() {
    let mut healer = on_screen([1, 2]);
    let now = give_up(&mut healer, &[1, 2], T0 + 1_000);

    // Before the probe (which comes 4 s after giving up at draw 1.0).
    let click = now + 2_000;
    healer.retry(key(2), click);

    assert_eq!(healer.view(key(2)).phase, Phase::Waiting);
    let batch = healer.poll(click).remove(0);
    assert_eq!(ids(&batch), [2]);
    healer.answered(&batch, &answer(&[2], T0), click + 1);
    healer.failed(key(2), &url(2, T0).url, click + 2, 0.5);
    assert_eq!(
        healer.view(key(2)).phase,
        Phase::GaveUp,
        "one attempt per click"
    );
}

#[test]
fn a_failed_batch_retries_together_with_backoff() {
    let mut healer = on_screen(1..=5);
    let batch = healer.poll(T0 + 8_000).remove(0);

    healer.batch_failed(&batch, T0 + 8_100, 1.0, None);

    // Photos on screen keep showing while their renewal retries.
    assert_eq!(healer.view(key(1)).phase, Phase::Usable);
    assert_eq!(healer.next_wakeup(), Some(T0 + 8_600));
    let batches = healer.poll(T0 + 8_600);
    assert_eq!(batches.len(), 1);
    assert_eq!(batches[0].people.len(), 5);
}

#[test]
fn retry_after_from_the_server_is_honoured() {
    let mut healer = on_screen([1]);
    let batch = healer.poll(T0 + 8_000).remove(0);

    healer.batch_failed(&batch, T0 + 8_000, 0.0, Some(30_000));

    assert_eq!(healer.next_wakeup(), Some(T0 + 38_000));
}

#[test]
fn a_shown_photo_keeps_renewing_slowly_while_the_server_is_down() {
    let mut healer = on_screen([1]);
    let mut now = T0 + 8_000;
    let mut sent = 0;
    while now < T0 + 60_000 {
        let batches = healer.poll(now);
        sent += batches.len();
        for batch in &batches {
            healer.batch_failed(batch, now, 1.0, None);
        }
        now = healer.next_wakeup().unwrap();
    }
    assert_eq!(healer.view(key(1)).phase, Phase::Usable);
    // 0.5 + 1 + 2 + 4 s, then every 4 s: about 14 requests in 52 s, no storm.
    assert!((10..=17).contains(&sent), "{sent}");
}

#[test]
fn a_person_whose_photo_went_away_shows_initials() {
    let mut healer = on_screen([1, 2]);
    let batch = healer.poll(T0 + 8_000).remove(0);
    let urls = vec![PersonPhotoUrl {
        person: EmployeeId(1),
        photo: None,
    }];

    // Person 2 is left out of the answer: no longer visible to the viewer.
    healer.answered(&batch, &urls, T0 + 8_010);

    assert_eq!(healer.view(key(1)).phase, Phase::NoPhoto);
    assert_eq!(healer.view(key(2)).phase, Phase::NoPhoto);
    assert_eq!(healer.next_wakeup(), None);
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
