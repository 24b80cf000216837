//! The upload protocol as a pure state machine.
//!
//! Each method takes one event — an answer, a failure, a timer, the
//! person pressing Cancel — and returns the [`Command`]s to carry out next;
//! the browser glue ([`super::runner`]) performs them and reports back. No
//! clock and no randomness inside: the time left on the upload URL and the
//! backoff's random draw come in as arguments, so tests pin every branch.
//!
//! The flow: ask for a ticket → PUT the bytes → ask the server to complete.
//! A network failure (or the store's 5xx) is retried with [`UPLOAD_BACKOFF`];
//! the store's 403 means the URL expired mid-way, so a fresh URL is asked for
//! the same upload and the PUT starts again (a few times at most: a URL the
//! store keeps refusing is not an expiry); Cancel aborts the PUT and deletes
//! the upload, even one whose ticket only arrives after the Cancel.

use crate::api::ClientError;
use crate::photos::backoff::Backoff;
use lanyard_wire::{ErrorCode, UploadTicket};

/// Retries of one step (a ticket, a PUT, a completion) before giving up:
/// within about half a minute (1 + 2 + 4 + 8 + 8 s ceilings), as long as a
/// person watching a progress bar will wait.
pub const UPLOAD_BACKOFF: Backoff = Backoff {
    base_ms: 1_000,
    factor: 2,
    cap_ms: 8_000,
    attempts: 5,
};

/// Fresh URLs asked for in a row before the store's refusals count as final.
pub const MAX_RENEWALS: u32 = 3;

/// A URL with less than this left is renewed before a retried PUT instead of
/// being sent to certain refusal.
pub const MIN_URL_LEFT_MS: i64 = 10_000;

/// Where the upload stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// `POST /api/me/photo/uploads` in flight.
    Requesting,
    /// The PUT to the store in flight.
    Sending,
    /// Waiting out a backoff before retrying.
    Waiting,
    /// Asking for a fresh URL for the same upload.
    Renewing,
    /// `POST …/complete` in flight: the server checks the image.
    Completing,
    Done,
    Failed,
    Cancelled,
}

/// What the glue must do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `POST /api/me/photo/uploads` for the blob.
    RequestTicket,
    /// PUT the blob to [`UploadMachine::ticket`]'s URL with its headers;
    /// `attempt` tags the request's events.
    Put { attempt: u32 },
    /// Call [`UploadMachine::on_timer`] after `ms` milliseconds.
    Wait { ms: u32 },
    /// `POST /api/me/photo/uploads/{id}/url`.
    RenewUrl { upload_id: String },
    /// `POST /api/me/photo/uploads/{id}/complete`.
    Complete { upload_id: String },
    /// Abort the PUT in flight.
    AbortPut,
    /// `DELETE /api/me/photo/uploads/{id}`: leave nothing behind.
    Delete { upload_id: String },
}

/// How a PUT ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    /// The store answered with this HTTP status.
    Status(u16),
    /// No answer: offline, connection reset, timeout, CORS refusal.
    NetworkError,
    /// The browser would not even send it (e.g. a header it forbids): no
    /// retry will help.
    CouldNotSend,
}

/// The step a backoff wait leads back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Request,
    Put,
    Renew,
    Complete,
}

/// One upload, from the first request to a pending photo (or not).
#[derive(Debug, Clone)]
pub struct UploadMachine {
    phase: Phase,
    /// What to do when the backoff timer fires.
    after_wait: Step,
    ticket: Option<UploadTicket>,
    /// The current PUT's number; events of older PUTs are ignored.
    attempt: u32,
    /// Failures of the current step in a row.
    retries: u32,
    /// Fresh URLs asked for since the last PUT that went through.
    renewals: u32,
    progress: u8,
    error: Option<String>,
    policy: Backoff,
}

impl UploadMachine {
    /// A new upload and its first command (ask for a ticket).
    pub fn start() -> (Self, Vec<Command>) {
        Self::with_policy(UPLOAD_BACKOFF)
    }

    pub fn with_policy(policy: Backoff) -> (Self, Vec<Command>) {
        let machine = Self {
            phase: Phase::Requesting,
            after_wait: Step::Request,
            ticket: None,
            attempt: 0,
            retries: 0,
            renewals: 0,
            progress: 0,
            error: None,
            policy,
        };
        (machine, vec![Command::RequestTicket])
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The PUT's progress, 0..=100.
    pub fn progress(&self) -> u8 {
        self.progress
    }

    /// Why the upload failed, for a person.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The ticket to PUT with (a credential: never log its URL).
    pub fn ticket(&self) -> Option<&UploadTicket> {
        self.ticket.as_ref()
    }

    pub fn upload_id(&self) -> Option<&str> {
        self.ticket.as_ref().map(|t| t.upload_id.as_str())
    }

    /// Whether Cancel still means something.
    pub fn can_cancel(&self) -> bool {
        matches!(
            self.phase,
            Phase::Requesting | Phase::Sending | Phase::Waiting | Phase::Renewing
        )
    }

    /// A ticket arrived: the first one, or a fresh URL for this upload.
    pub fn on_ticket(&mut self, ticket: UploadTicket) -> Vec<Command> {
        match self.phase {
            Phase::Requesting | Phase::Renewing => {
                self.ticket = Some(ticket);
                self.retries = 0;
                self.put()
            }
            // Cancelled before the server answered: the upload exists now,
            // so delete it.
            Phase::Cancelled if self.ticket.is_none() => {
                let id = ticket.upload_id.clone();
                self.ticket = Some(ticket);
                vec![Command::Delete { upload_id: id }]
            }
            _ => vec![],
        }
    }

    /// The PUT reported progress: `loaded` of `total` bytes sent.
    pub fn on_progress(&mut self, attempt: u32, loaded: f64, total: f64) {
        if self.phase != Phase::Sending || attempt != self.attempt || total.is_nan() || total <= 0.0
        {
            return;
        }
        let percent = (loaded / total * 100.0).floor().clamp(0.0, 100.0);
        // Within [0, 100].
        self.progress = percent as u8;
    }

    /// The PUT ended.
    pub fn on_put_done(&mut self, attempt: u32, outcome: PutOutcome, random: f64) -> Vec<Command> {
        if self.phase != Phase::Sending || attempt != self.attempt {
            return vec![];
        }
        match outcome {
            PutOutcome::Status(200..=299) => {
                self.progress = 100;
                self.retries = 0;
                self.renewals = 0;
                self.phase = Phase::Completing;
                vec![Command::Complete {
                    upload_id: self.id_or_empty(),
                }]
            }
            // The store refuses an expired signature with 403.
            PutOutcome::Status(403) => {
                self.renewals += 1;
                if self.renewals > MAX_RENEWALS {
                    return self
                        .fail("The photo store kept refusing the upload. Please try again later.");
                }
                self.renew()
            }
            PutOutcome::NetworkError | PutOutcome::Status(0 | 408 | 429 | 500..=599) => {
                self.retry(Step::Put, random, NETWORK_TROUBLE)
            }
            PutOutcome::Status(_) => {
                self.fail("The photo store refused the upload. Please try again.")
            }
            PutOutcome::CouldNotSend => {
                self.fail("This browser could not send the photo. Please try another browser.")
            }
        }
    }

    /// The API call in flight (ticket, fresh URL or completion) failed.
    pub fn on_api_error(&mut self, error: &ClientError, random: f64) -> Vec<Command> {
        let step = match self.phase {
            Phase::Requesting => Step::Request,
            Phase::Renewing => Step::Renew,
            Phase::Completing => Step::Complete,
            _ => return vec![],
        };
        let transient = match error {
            ClientError::Network(_) => true,
            ClientError::Api { status, error, .. } => {
                *status >= 500 || matches!(error.code, ErrorCode::Internal | ErrorCode::RateLimited)
            }
            ClientError::Decode(_) => false,
        };
        if transient {
            let commands = self.retry(step, random, &error.user_message());
            // A 429 (or 503) says how long to leave the server alone: the
            // retry waits at least that long, never storming the limit.
            let at_least = error.retry_after().map_or(0, |wait| {
                u32::try_from(wait.as_millis()).unwrap_or(u32::MAX)
            });
            commands
                .into_iter()
                .map(|command| match command {
                    Command::Wait { ms } => Command::Wait {
                        ms: ms.max(at_least),
                    },
                    other => other,
                })
                .collect()
        } else {
            self.fail(&error.user_message())
        }
    }

    /// The backoff timer fired; `url_left_ms` is how long the current upload
    /// URL stays valid, by the server's clock (ignored without a ticket).
    pub fn on_timer(&mut self, url_left_ms: i64) -> Vec<Command> {
        if self.phase != Phase::Waiting {
            return vec![];
        }
        match self.after_wait {
            Step::Request => {
                self.phase = Phase::Requesting;
                vec![Command::RequestTicket]
            }
            // A URL about to expire would only earn a 403: renew first.
            Step::Put if url_left_ms < MIN_URL_LEFT_MS => self.renew(),
            Step::Put => self.put(),
            Step::Renew => self.renew(),
            Step::Complete => {
                self.phase = Phase::Completing;
                vec![Command::Complete {
                    upload_id: self.id_or_empty(),
                }]
            }
        }
    }

    /// The server checked the photo and it is pending review.
    pub fn on_completed(&mut self) -> Vec<Command> {
        if self.phase == Phase::Completing {
            self.phase = Phase::Done;
        }
        vec![]
    }

    /// The person pressed Cancel.
    pub fn cancel(&mut self) -> Vec<Command> {
        if !self.can_cancel() {
            return vec![];
        }
        let was = self.phase;
        self.phase = Phase::Cancelled;
        let mut commands = Vec::new();
        if was == Phase::Sending {
            commands.push(Command::AbortPut);
        }
        if let Some(id) = self.upload_id() {
            commands.push(Command::Delete {
                upload_id: id.to_owned(),
            });
        }
        commands
    }

    fn put(&mut self) -> Vec<Command> {
        self.attempt += 1;
        self.progress = 0;
        self.phase = Phase::Sending;
        vec![Command::Put {
            attempt: self.attempt,
        }]
    }

    fn renew(&mut self) -> Vec<Command> {
        self.phase = Phase::Renewing;
        vec![Command::RenewUrl {
            upload_id: self.id_or_empty(),
        }]
    }

    /// Waits before trying `step` again, or gives up with `message`.
    fn retry(&mut self, step: Step, random: f64, message: &str) -> Vec<Command> {
        match self.policy.delay_ms(self.retries, random) {
            Some(ms) => {
                self.retries += 1;
                self.after_wait = step;
                self.phase = Phase::Waiting;
                vec![Command::Wait { ms }]
            }
            None => self.fail(message),
        }
    }

    /// Gives up. An upload that never reached completion is deleted; one
    /// the server was asked to complete is left to it (a refused image is
    /// already gone, and an unanswered completion may have gone through).
    fn fail(&mut self, message: &str) -> Vec<Command> {
        let completing = matches!(self.phase, Phase::Completing)
            || (self.phase == Phase::Waiting && self.after_wait == Step::Complete);
        self.phase = Phase::Failed;
        self.error = Some(message.to_owned());
        match self.upload_id() {
            Some(id) if !completing => vec![Command::Delete {
                upload_id: id.to_owned(),
            }],
            _ => vec![],
        }
    }

    fn id_or_empty(&self) -> String {
        self.upload_id().unwrap_or_default().to_owned()
    }
}

const NETWORK_TROUBLE: &str = "The upload keeps failing: check your connection and try again.";

#[cfg(test)]
mod tests;
