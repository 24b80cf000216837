//! Runs an [`UploadMachine`] in the browser: carries out its commands (API
//! calls, the XMLHttpRequest PUT, backoff timers) and feeds the outcomes
//! back, keeping a reactive [`UploadStatus`] for the page.

use super::machine::{Command, Phase, PutOutcome, UploadMachine};
use super::xhr::Put;
use crate::api;
use crate::clock;
use crate::session::Session;
use lanyard_wire::{MyPhoto, UploadRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use web_sys::Blob;

/// What the page shows of an upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadStatus {
    pub phase: Phase,
    /// 0..=100.
    pub progress: u8,
    pub error: Option<String>,
    pub can_cancel: bool,
}

/// The upload in progress, if any.
struct Running {
    /// Tags async answers: those of an earlier upload are dropped.
    generation: u32,
    machine: UploadMachine,
    blob: Blob,
    put: Option<Put>,
}

/// The page's handle on uploads; `Copy`, so closures can capture it.
#[derive(Clone, Copy)]
pub struct Uploader {
    status: RwSignal<Option<UploadStatus>>,
    running: StoredValue<Option<Running>, LocalStorage>,
    generations: StoredValue<u32>,
    session: Session,
    on_done: Callback<MyPhoto>,
}

impl Uploader {
    /// `on_done` gets the server's answer once the photo is pending review.
    pub fn new(session: Session, on_done: Callback<MyPhoto>) -> Self {
        Self {
            status: RwSignal::new(None),
            running: StoredValue::new_local(None),
            generations: StoredValue::new(0),
            session,
            on_done,
        }
    }

    /// The current upload's status (tracked); `None` when there is none.
    pub fn status(&self) -> Option<UploadStatus> {
        self.status.get()
    }

    /// Uploads `blob` (a JPEG) as the new photo, replacing any upload in
    /// progress.
    pub fn start(&self, blob: Blob) {
        self.cancel();
        let generation = self.generations.get_value().wrapping_add(1);
        self.generations.set_value(generation);
        let (machine, commands) = UploadMachine::start();
        self.running.set_value(Some(Running {
            generation,
            machine,
            blob,
            put: None,
        }));
        self.publish();
        self.run(generation, commands);
    }

    /// Cancel: aborts the PUT and deletes the upload (see the machine).
    pub fn cancel(&self) {
        let generation = self.generations.try_get_value().unwrap_or_default();
        self.feed(generation, UploadMachine::cancel);
    }

    /// Forgets a finished, failed or cancelled upload.
    pub fn clear(&self) {
        let active = self
            .running
            .try_with_value(|r| r.as_ref().is_some_and(|r| r.machine.can_cancel()))
            .unwrap_or(false);
        if !active {
            self.running.try_set_value(None);
            self.status.try_set(None);
        }
    }

    /// Hands an event to the machine of upload `generation` and runs the
    /// commands it answers.
    fn feed(&self, generation: u32, event: impl FnOnce(&mut UploadMachine) -> Vec<Command>) {
        let commands = self
            .running
            .try_update_value(|running| match running {
                Some(r) if r.generation == generation => event(&mut r.machine),
                _ => vec![],
            })
            .unwrap_or_default();
        self.publish();
        self.run(generation, commands);
    }

    fn publish(&self) {
        let status = self
            .running
            .try_with_value(|r| {
                r.as_ref().map(|r| UploadStatus {
                    phase: r.machine.phase(),
                    progress: r.machine.progress(),
                    error: r.machine.error().map(str::to_owned),
                    can_cancel: r.machine.can_cancel(),
                })
            })
            .flatten();
        self.status.try_set(status);
    }

    fn run(&self, generation: u32, commands: Vec<Command>) {
        for command in commands {
            self.perform(generation, command);
        }
    }

    fn perform(&self, generation: u32, command: Command) {
        let this = *self;
        let session = self.session;
        match command {
            Command::RequestTicket => {
                let Some(size) = self
                    .running
                    .with_value(|r| r.as_ref().map(|r| r.blob.size()))
                else {
                    return;
                };
                let request = UploadRequest {
                    content_type: "image/jpeg".into(),
                    // A blob's size is a whole number of bytes.
                    content_length: size as u64,
                };
                spawn_local(async move {
                    let answer = session.guard(api::start_upload(&request).await);
                    this.feed(generation, |m| match answer {
                        Ok(ticket) => m.on_ticket(ticket),
                        Err(err) => m.on_api_error(&err, random()),
                    });
                });
            }
            Command::Put { attempt } => self.put(generation, attempt),
            Command::Wait { ms } => {
                set_timeout(
                    move || {
                        this.feed(generation, |m| {
                            let left = m
                                .ticket()
                                .map_or(i64::MAX, |t| clock::millis_until(t.expires_at));
                            m.on_timer(left)
                        });
                    },
                    Duration::from_millis(u64::from(ms)),
                );
            }
            Command::RenewUrl { upload_id } => spawn_local(async move {
                let answer = session.guard(api::renew_upload_url(&upload_id).await);
                this.feed(generation, |m| match answer {
                    Ok(ticket) => m.on_ticket(ticket),
                    Err(err) => m.on_api_error(&err, random()),
                });
            }),
            Command::Complete { upload_id } => spawn_local(async move {
                let answer = session.guard(api::complete_upload(&upload_id).await);
                let mut photo = None;
                this.feed(generation, |m| match answer {
                    Ok(done) => {
                        photo = Some(done);
                        m.on_completed()
                    }
                    Err(err) => m.on_api_error(&err, random()),
                });
                if let Some(photo) = photo {
                    this.on_done.run(photo);
                }
            }),
            Command::AbortPut => {
                let put = self
                    .running
                    .try_update_value(|r| r.as_mut().and_then(|r| r.put.take()))
                    .flatten();
                if let Some(put) = put {
                    put.abort();
                }
            }
            Command::Delete { upload_id } => spawn_local(async move {
                if let Err(err) = session.guard(api::cancel_upload(&upload_id).await) {
                    // The sweeper removes what this could not.
                    leptos::logging::warn!("cancelling an upload: {err}");
                }
            }),
        }
    }

    /// Starts PUT `attempt` with the current ticket.
    fn put(&self, generation: u32, attempt: u32) {
        let this = *self;
        let started = self.running.try_update_value(|running| {
            let r = running.as_mut()?;
            let ticket = r.machine.ticket()?.clone();
            // The previous attempt's request, if still around, is over.
            r.put = None;
            let put = Put::start(
                &ticket,
                &r.blob,
                move |loaded, total| {
                    this.feed(generation, |m| {
                        m.on_progress(attempt, loaded, total);
                        vec![]
                    });
                },
                move |outcome| {
                    // Later, not inside the request's own handler: the
                    // handler's closure is dropped along with the request.
                    spawn_local(async move {
                        this.feed(generation, |m| m.on_put_done(attempt, outcome, random()));
                    });
                },
            );
            Some(put.map(|put| r.put = Some(put)).is_ok())
        });
        if started.flatten() == Some(false) {
            self.feed(generation, |m| {
                m.on_put_done(attempt, PutOutcome::CouldNotSend, random())
            });
        }
    }
}

/// A uniform draw in `[0, 1)` for the backoff's jitter.
fn random() -> f64 {
    js_sys::Math::random()
}
