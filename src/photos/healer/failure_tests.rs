//! The healer's failure rules, one scenario per test, on a simulated clock:
//! when a photo fails to load, how retries are spaced and shared, giving up
//! and probing, and what the server's own errors change.

use super::tests::{answer, ids, key, on_screen, url, LIFETIME, T0};
use super::*;
use crate::photos::backoff::Backoff;

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
