use super::*;
use lanyard_wire::{ApiError, SignedHeader, Timestamp};

const ID: &str = "0123456789abcdef0123456789abcdef";

fn ticket(n: u32) -> UploadTicket {
    UploadTicket {
        server_time: Timestamp::from_millis(0),
        upload_id: ID.into(),
        url: format!("http://store/b/uploads/{ID}?X-Amz-Signature=sig{n}"),
        headers: vec![SignedHeader {
            name: "Content-Type".into(),
            value: "image/jpeg".into(),
        }],
        expires_at: Timestamp::from_millis(300_000),
    }
}

fn delete() -> Command {
    Command::Delete {
        upload_id: ID.into(),
    }
}

fn api(status: u16, code: ErrorCode, message: &str) -> ClientError {
    ClientError::Api {
        status,
        error: ApiError::new(code, message),
        retry_after: None,
    }
}

/// A machine whose first PUT (attempt 1) is in flight.
fn sending() -> UploadMachine {
    let (mut m, _) = UploadMachine::start();
    assert_eq!(m.on_ticket(ticket(1)), [Command::Put { attempt: 1 }]);
    m
}

#[test]
fn the_happy_path_asks_puts_and_completes() {
    let (mut m, first) = UploadMachine::start();
    assert_eq!(first, [Command::RequestTicket]);
    assert_eq!(m.phase(), Phase::Requesting);

    assert_eq!(m.on_ticket(ticket(1)), [Command::Put { attempt: 1 }]);
    assert_eq!(m.phase(), Phase::Sending);
    assert_eq!(m.ticket().unwrap().url, ticket(1).url);

    let mut seen = Vec::new();
    for loaded in [0.0, 10_000.0, 25_000.0, 40_000.0] {
        m.on_progress(1, loaded, 40_000.0);
        seen.push(m.progress());
    }
    assert_eq!(seen, [0, 25, 62, 100]);

    assert_eq!(
        m.on_put_done(1, PutOutcome::Status(200), 0.5),
        [Command::Complete {
            upload_id: ID.into()
        }]
    );
    assert_eq!(m.phase(), Phase::Completing);
    assert_eq!(m.progress(), 100);
    assert!(!m.can_cancel(), "the server is checking the photo already");

    assert_eq!(m.on_completed(), []);
    assert_eq!(m.phase(), Phase::Done);
    assert_eq!(m.error(), None);
}

#[test]
fn network_failures_are_retried_with_backoff() {
    let mut m = sending();
    m.on_progress(1, 500.0, 1_000.0);
    // Full jitter: half the first ceiling (1 s).
    assert_eq!(
        m.on_put_done(1, PutOutcome::NetworkError, 0.5),
        [Command::Wait { ms: 500 }]
    );
    assert_eq!(m.phase(), Phase::Waiting);
    // Plenty of time left on the URL: the same URL again, a new attempt.
    assert_eq!(m.on_timer(200_000), [Command::Put { attempt: 2 }]);
    assert_eq!(m.progress(), 0, "a new PUT starts from zero");
    // The store's 5xx counts as trouble on the way too; the ceiling doubled.
    assert_eq!(
        m.on_put_done(2, PutOutcome::Status(503), 1.0),
        [Command::Wait { ms: 2_000 }]
    );
    assert_eq!(m.on_timer(200_000), [Command::Put { attempt: 3 }]);
    assert_eq!(
        m.on_put_done(3, PutOutcome::Status(200), 0.0),
        [Command::Complete {
            upload_id: ID.into()
        }]
    );
}

#[test]
fn it_gives_up_after_the_last_retry_and_deletes_the_upload() {
    let mut m = sending();
    for attempt in 1..=UPLOAD_BACKOFF.attempts {
        let commands = m.on_put_done(attempt, PutOutcome::NetworkError, 0.0);
        assert_eq!(commands, [Command::Wait { ms: 0 }], "retry {attempt}");
        assert_eq!(
            m.on_timer(200_000),
            [Command::Put {
                attempt: attempt + 1
            }]
        );
    }
    let last = UPLOAD_BACKOFF.attempts + 1;
    assert_eq!(
        m.on_put_done(last, PutOutcome::NetworkError, 0.0),
        [delete()]
    );
    assert_eq!(m.phase(), Phase::Failed);
    assert!(m.error().unwrap().contains("connection"));
}

#[test]
fn an_expired_url_is_replaced_and_the_upload_continues() {
    let mut m = sending();
    m.on_progress(1, 700.0, 1_000.0);
    assert_eq!(
        m.on_put_done(1, PutOutcome::Status(403), 0.5),
        [Command::RenewUrl {
            upload_id: ID.into()
        }]
    );
    assert_eq!(m.phase(), Phase::Renewing);
    assert_eq!(m.on_ticket(ticket(2)), [Command::Put { attempt: 2 }]);
    assert!(
        m.ticket().unwrap().url.ends_with("sig2"),
        "the fresh URL is used"
    );
    assert_eq!(
        m.on_put_done(2, PutOutcome::Status(204), 0.5),
        [Command::Complete {
            upload_id: ID.into()
        }]
    );
}

#[test]
fn a_url_the_store_keeps_refusing_is_not_renewed_forever() {
    let mut m = sending();
    for attempt in 1..=MAX_RENEWALS {
        assert!(matches!(
            m.on_put_done(attempt, PutOutcome::Status(403), 0.5)[..],
            [Command::RenewUrl { .. }]
        ));
        assert_eq!(
            m.on_ticket(ticket(attempt + 1)),
            [Command::Put {
                attempt: attempt + 1
            }]
        );
    }
    assert_eq!(
        m.on_put_done(MAX_RENEWALS + 1, PutOutcome::Status(403), 0.5),
        [delete()]
    );
    assert_eq!(m.phase(), Phase::Failed);
}

#[test]
fn a_retry_with_a_url_about_to_expire_renews_it_first() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::NetworkError, 0.0);
    assert_eq!(
        m.on_timer(MIN_URL_LEFT_MS - 1),
        [Command::RenewUrl {
            upload_id: ID.into()
        }]
    );
    assert_eq!(m.on_ticket(ticket(2)), [Command::Put { attempt: 2 }]);
}

#[test]
fn other_store_refusals_fail_at_once() {
    let mut m = sending();
    assert_eq!(m.on_put_done(1, PutOutcome::Status(400), 0.5), [delete()]);
    assert_eq!(m.phase(), Phase::Failed);
    assert!(m.error().is_some());
}

#[test]
fn events_of_an_older_put_are_ignored() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::NetworkError, 0.0);
    m.on_timer(200_000);
    // Attempt 1's late progress and end change nothing.
    m.on_progress(1, 900.0, 1_000.0);
    assert_eq!(m.progress(), 0);
    assert_eq!(m.on_put_done(1, PutOutcome::Status(200), 0.0), []);
    assert_eq!(m.phase(), Phase::Sending);
    // A timer that fires while not waiting does nothing either.
    assert_eq!(m.on_timer(200_000), []);
}

#[test]
fn progress_ignores_nonsense_totals() {
    let mut m = sending();
    m.on_progress(1, 10.0, 0.0);
    m.on_progress(1, 10.0, f64::NAN);
    assert_eq!(m.progress(), 0);
    m.on_progress(1, 2_000.0, 1_000.0);
    assert_eq!(m.progress(), 100);
}

#[test]
fn cancel_aborts_the_put_and_deletes_the_upload() {
    let mut m = sending();
    assert_eq!(m.cancel(), [Command::AbortPut, delete()]);
    assert_eq!(m.phase(), Phase::Cancelled);
    // The aborted request's end is ignored; a second Cancel does nothing.
    assert_eq!(m.on_put_done(1, PutOutcome::NetworkError, 0.0), []);
    assert_eq!(m.cancel(), []);
}

#[test]
fn cancel_while_waiting_or_renewing_deletes_and_stops_the_timer() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::NetworkError, 0.0);
    assert_eq!(m.cancel(), [delete()]);
    assert_eq!(m.on_timer(200_000), []);

    let mut m = sending();
    m.on_put_done(1, PutOutcome::Status(403), 0.0);
    assert_eq!(m.cancel(), [delete()]);
    assert_eq!(m.on_ticket(ticket(2)), [], "the fresh URL arrives too late");
}

#[test]
fn cancel_before_the_ticket_deletes_the_upload_once_it_exists() {
    let (mut m, _) = UploadMachine::start();
    assert_eq!(m.cancel(), [], "nothing to delete yet");
    assert_eq!(m.on_ticket(ticket(1)), [delete()]);
    assert_eq!(m.phase(), Phase::Cancelled);
}

#[test]
fn a_refused_ticket_shows_the_servers_sentence() {
    let (mut m, _) = UploadMachine::start();
    let err = api(400, ErrorCode::BadRequest, "Photos can be at most 10 MB.");
    assert_eq!(m.on_api_error(&err, 0.5), []);
    assert_eq!(m.phase(), Phase::Failed);
    assert_eq!(m.error(), Some("Photos can be at most 10 MB."));
}

#[test]
fn ticket_requests_are_retried_when_the_network_fails() {
    let (mut m, _) = UploadMachine::start();
    let down = ClientError::Network("TypeError: Failed to fetch".into());
    assert_eq!(m.on_api_error(&down, 0.25), [Command::Wait { ms: 250 }]);
    assert_eq!(m.on_timer(0), [Command::RequestTicket]);
    assert_eq!(m.phase(), Phase::Requesting);
    let busy = api(503, ErrorCode::Internal, "x");
    assert!(matches!(
        m.on_api_error(&busy, 0.0)[..],
        [Command::Wait { .. }]
    ));
}

#[test]
fn a_rate_limited_step_waits_at_least_the_servers_retry_after() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::Status(200), 0.0);
    let limited = |secs| ClientError::Api {
        status: 429,
        error: ApiError::new(ErrorCode::RateLimited, "Too many requests."),
        retry_after: Some(std::time::Duration::from_secs(secs)),
    };
    // The backoff's draw (0.0: no wait) loses to the server's 7 s.
    assert_eq!(
        m.on_api_error(&limited(7), 0.0),
        [Command::Wait { ms: 7_000 }]
    );
    assert_eq!(
        m.on_timer(60_000),
        [Command::Complete {
            upload_id: ID.into()
        }]
    );
    // A longer backoff wins over a shorter Retry-After.
    assert_eq!(
        m.on_api_error(&limited(1), 1.0),
        [Command::Wait { ms: 2_000 }]
    );
}

#[test]
fn a_conflict_while_renewing_fails_and_cleans_up() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::Status(403), 0.0);
    let gone = api(409, ErrorCode::Conflict, "This upload is no longer open.");
    assert_eq!(m.on_api_error(&gone, 0.0), [delete()]);
    assert_eq!(m.error(), Some("This upload is no longer open."));
}

#[test]
fn an_invalid_image_is_reported_and_not_deleted_again() {
    let mut m = sending();
    m.on_put_done(1, PutOutcome::Status(200), 0.0);
    let refused = api(
        422,
        ErrorCode::InvalidImage,
        "That file is not a JPEG, PNG or WebP image.",
    );
    // The server already removed what it refused.
    assert_eq!(m.on_api_error(&refused, 0.0), []);
    assert_eq!(m.phase(), Phase::Failed);
    assert_eq!(
        m.error(),
        Some("That file is not a JPEG, PNG or WebP image.")
    );
}

#[test]
fn a_completion_lost_on_the_network_is_repeated() {
    // Completing twice is harmless (the server answers the same MyPhoto).
    let mut m = sending();
    m.on_put_done(1, PutOutcome::Status(200), 0.0);
    let down = ClientError::Network("offline".into());
    assert_eq!(m.on_api_error(&down, 1.0), [Command::Wait { ms: 1_000 }]);
    assert_eq!(
        m.on_timer(-5),
        [Command::Complete {
            upload_id: ID.into()
        }],
        "an expired URL does not matter any more"
    );
    assert!(!m.can_cancel());
    // Even giving up leaves the possibly-completed upload alone.
    for _ in 1..UPLOAD_BACKOFF.attempts {
        m.on_api_error(&down, 0.0);
        m.on_timer(0);
    }
    assert_eq!(m.on_api_error(&down, 0.0), []);
    assert_eq!(m.phase(), Phase::Failed);
}

#[test]
fn the_ticket_never_shows_its_signature_in_debug_output() {
    let m = sending();
    let shown = format!("{m:?}");
    assert!(!shown.contains("sig1"), "{shown}");
}

#[test]
fn a_put_the_browser_cannot_send_fails_at_once() {
    let mut m = sending();
    assert_eq!(m.on_put_done(1, PutOutcome::CouldNotSend, 0.0), [delete()]);
    assert_eq!(m.phase(), Phase::Failed);
}
