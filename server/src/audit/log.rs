//! The group-committed side of the audit log: entries that need no
//! transaction of their own (URL grants, sign-ins, upload steps) go to one
//! background writer, which commits every entry waiting at once in one
//! transaction, then tells each recorder. [`AuditLog::record`] returns only
//! once its entry is committed, so an answer that granted photo URLs is
//! never sent before its entry is in the database: a crash (`kill -9`) at
//! any moment loses no entry of an answer a client received. Concurrent
//! requests share commits, so one commit serves a whole burst.
//!
//! Entries are written in the order they were recorded. [`AuditLog::flush`]
//! waits until everything recorded before it is committed.

use super::{append, Entry, Subject};
use crate::db::Db;
use crate::error::AppResult;
use crate::storage::photo_urls::{PhotoFacts, PhotoSigner};
use lanyard_wire::{AuditAction, PhotoSize, PhotoUrl, Timestamp};
use std::time::{Duration, SystemTime};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// Entries waiting at most; beyond that, recording waits for the writer
/// (backpressure rather than an unbounded queue or a lost entry).
const QUEUE: usize = 4096;
/// Entries written per transaction at most.
const BATCH: usize = 512;
/// Attempts at writing one batch before it is given up (and logged).
const ATTEMPTS: u32 = 5;
/// Benchmarks only: entries a relaxed log lets wait unwritten before a
/// recorder waits for its commit after all. Without a bound, a 10-second
/// run queued up to [`QUEUE`] entries and left them for after it: the
/// relaxed runs of scripts/bench-replicas.sh wrote 23–55 % of their
/// requests' entries, so they measured deferred work, not the cost of
/// waiting (and stalled for 0.6 s once the queue was full).
const RELAXED_LAG: usize = 64;

/// Whether an entry was committed.
type Ack = oneshot::Sender<Result<(), ()>>;

enum Message {
    Entry(Timestamp, Entry, Ack),
    Flush(oneshot::Sender<()>),
}

/// Records audit entries through the background writer. Cheap to clone.
#[derive(Clone)]
pub struct AuditLog {
    queue: mpsc::Sender<Message>,
    /// Benchmarks only: `record` returns once the entry is queued, not
    /// committed, while at most [`RELAXED_LAG`] entries wait
    /// (`LANYARD_BENCH_RELAXED`).
    relaxed: bool,
}

impl AuditLog {
    /// The log and its writer task, which ends once every clone of the log
    /// is dropped and the queue is drained.
    pub fn spawn(db: Db) -> (Self, JoinHandle<()>) {
        let (queue, inbox) = mpsc::channel(QUEUE);
        let writer = tokio::spawn(write_continuously(db, inbox));
        (
            Self {
                queue,
                relaxed: false,
            },
            writer,
        )
    }

    /// Benchmarks only: recording does not wait for the commit, so a crash
    /// may lose entries of answers already sent.
    #[must_use]
    pub fn relaxed(mut self, relaxed: bool) -> Self {
        self.relaxed = relaxed;
        self
    }

    /// Writes `entry` as of `at`, returning once it is committed; an
    /// error when it could not be (the caller then fails its request
    /// rather than answer what was not recorded).
    pub async fn record(&self, at: Timestamp, entry: Entry) -> AppResult<()> {
        let (ack, committed) = oneshot::channel();
        if self
            .queue
            .send(Message::Entry(at, entry, ack))
            .await
            .is_err()
        {
            return Err(anyhow::anyhow!("the audit writer has stopped").into());
        }
        if self.relaxed && self.queue.max_capacity() - self.queue.capacity() <= RELAXED_LAG {
            return Ok(());
        }
        match committed.await {
            Ok(Ok(())) => Ok(()),
            _ => Err(anyhow::anyhow!("an audit entry could not be written").into()),
        }
    }

    /// Records that `grants` were signed for `actor` (nothing when no URL was).
    pub async fn urls_granted(
        &self,
        at: Timestamp,
        actor: i64,
        ip: Option<String>,
        grants: Grants,
    ) -> AppResult<()> {
        if grants.subjects.is_empty() {
            return Ok(());
        }
        let detail = grants.detail();
        let entry = Entry {
            actor: Some(actor),
            action: AuditAction::UrlsGranted,
            subjects: grants.subjects,
            detail,
            ip,
        };
        self.record(at, entry).await
    }

    /// Waits until everything recorded so far is written.
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.queue.send(Message::Flush(done)).await.is_ok() {
            let _ = wait.await;
        }
    }
}

/// The photo URLs one answer signs, collected as they are signed: whose
/// photos, which versions, and for what.
#[derive(Debug)]
pub struct Grants {
    /// What the URLs are for, e.g. "the directory".
    purpose: &'static str,
    subjects: Vec<Subject>,
    urls: usize,
}

impl Grants {
    pub fn new(purpose: &'static str) -> Self {
        Self {
            purpose,
            subjects: Vec::new(),
            urls: 0,
        }
    }

    /// [`PhotoSigner::sign`], remembering what was granted.
    pub fn sign(
        &mut self,
        signer: &PhotoSigner,
        person: i64,
        facts: &PhotoFacts,
        size: PhotoSize,
        now: SystemTime,
    ) -> Option<PhotoUrl> {
        let url = signer.sign(facts, size, now)?;
        self.granted(person, facts.visible_version());
        Some(url)
    }

    /// Notes a URL signed some other way (one's own pending photo, HR's review).
    pub fn granted(&mut self, person: i64, version: Option<&str>) {
        self.urls += 1;
        if !self.subjects.iter().any(|s| s.employee_id == person) {
            self.subjects.push(Subject {
                employee_id: person,
                photo_version_id: version.map(str::to_owned),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.subjects.is_empty()
    }

    /// URLs signed so far (what the rate limit counts).
    pub fn url_count(&self) -> usize {
        self.urls
    }

    /// The people whose photos were granted, each once.
    pub fn people(&self) -> impl Iterator<Item = i64> + '_ {
        self.subjects.iter().map(|s| s.employee_id)
    }

    fn detail(&self) -> String {
        let urls = match self.urls {
            1 => "1 photo URL".to_owned(),
            n => format!("{n} photo URLs"),
        };
        let people = match self.subjects.len() {
            1 => "1 person".to_owned(),
            n => format!("{n} people"),
        };
        format!("{urls} of {people} for {}", self.purpose)
    }
}

async fn write_continuously(db: Db, mut inbox: mpsc::Receiver<Message>) {
    let mut entries = Vec::with_capacity(BATCH);
    let mut acks = Vec::with_capacity(BATCH);
    let mut waiting = Vec::new();
    while let Some(first) = inbox.recv().await {
        // Everything queued while the last commit ran goes in this one.
        let mut next = Some(first);
        while let Some(message) = next {
            match message {
                Message::Entry(at, entry, ack) => {
                    entries.push((at, entry));
                    acks.push(ack);
                }
                Message::Flush(done) => waiting.push(done),
            }
            next = if entries.len() < BATCH {
                inbox.try_recv().ok()
            } else {
                None
            };
        }
        if !entries.is_empty() {
            let written = write_batch(&db, &entries).await;
            entries.clear();
            for ack in acks.drain(..) {
                let _ = ack.send(written.then_some(()).ok_or(()));
            }
        }
        for done in waiting.drain(..) {
            let _ = done.send(());
        }
    }
}

/// Writes `entries` in one transaction, retrying a busy or failing
/// database a few times; whether they were committed.
async fn write_batch(db: &Db, entries: &[(Timestamp, Entry)]) -> bool {
    let mut delay = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        match try_write(db, entries).await {
            Ok(()) => return true,
            Err(error) if attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, "writing audit entries failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 2;
            }
            Err(error) => {
                tracing::error!(%error, entries = entries.len(), "audit entries could not be written; their requests fail");
            }
        }
    }
    false
}

async fn try_write(db: &Db, entries: &[(Timestamp, Entry)]) -> sqlx::Result<()> {
    let mut tx = db.begin().await?;
    for (at, entry) in entries {
        append(&mut tx, *at, entry).await?;
    }
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::{query, Exec as _};
    use futures_util::FutureExt as _;

    fn entry(actor: i64) -> Entry {
        Entry {
            actor: Some(actor),
            action: AuditAction::UrlsGranted,
            subjects: Vec::new(),
            detail: String::new(),
            ip: None,
        }
    }

    /// A relaxed log answers before the commit only while few entries
    /// wait: the writer cannot fall behind by more than [`RELAXED_LAG`].
    /// (The test's runtime has one thread, so the writer runs only when
    /// the test waits.)
    #[tokio::test]
    async fn a_relaxed_log_lets_only_so_many_entries_wait() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("audit.db").display());
        let db = Db::connect(&url).await.unwrap();
        let (log, _writer) = AuditLog::spawn(db.clone());
        let log = log.relaxed(true);
        let at = Timestamp(1_000);
        for i in 0..RELAXED_LAG {
            let recorded = log.record(at, entry(i as i64)).now_or_never();
            assert!(matches!(recorded, Some(Ok(()))), "entry {i} waited");
        }
        assert!(
            log.record(at, entry(-1)).now_or_never().is_none(),
            "one more waits for its commit"
        );
        log.flush().await;
        let written: i64 = db
            .scalar(query("SELECT COUNT(*) FROM audit_log"))
            .await
            .unwrap();
        assert_eq!(written, RELAXED_LAG as i64 + 1);
    }

    #[test]
    fn grants_name_each_person_once_and_count_every_url() {
        let mut grants = Grants::new("the directory");
        assert!(grants.is_empty());
        grants.granted(7, Some("a"));
        grants.granted(7, Some("b"));
        grants.granted(9, None);
        assert_eq!(grants.subjects.len(), 2);
        assert_eq!(grants.subjects[0].photo_version_id.as_deref(), Some("a"));
        assert_eq!(
            grants.detail(),
            "3 photo URLs of 2 people for the directory"
        );
        let mut one = Grants::new("a profile");
        one.granted(1, None);
        assert_eq!(one.detail(), "1 photo URL of 1 person for a profile");
    }
}
