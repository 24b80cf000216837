//! `/hr/reviews`: photos awaiting HR, each beside the photo it would
//! replace; approve, or reject with a reason the employee will read.
//!
//! Review URLs live only minutes (the HR review lifetime), so the queue is
//! fetched again at 80% of the shortest URL's lifetime, and at once when a
//! proposed photo fails to load (once per version, so a broken object cannot
//! start a loop). The current photo is an [`Avatar`]: the photo healer
//! renews it like any other.

use crate::api::{hr, ClientError};
use crate::clock;
use crate::components::avatar::{Avatar, AvatarSize};
use crate::components::error_panel::ErrorPanel;
use crate::hooks::use_title::use_title;
use crate::pages::hr::time::show_time;
use crate::session::Session;
use lanyard_wire::{ErrorCode, PendingReview, MAX_REASON_CHARS};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

/// The queue as last fetched: `None` while the first answer is on its way.
type Queue = RwSignal<Option<Result<Vec<PendingReview>, ClientError>>>;

/// What the page shows, coarser than the queue itself.
#[derive(Clone, PartialEq)]
enum Shown {
    Loading,
    Failed(String),
    /// The pending versions, in queue order.
    Items(Vec<String>),
}

/// What every item needs from the page.
#[derive(Clone, Copy)]
struct Desk {
    queue: Queue,
    /// A page-level message (someone else decided first).
    notice: RwSignal<Option<String>>,
    reload: Callback<()>,
    /// Versions whose failed image already caused a refresh.
    healed: StoredValue<Vec<String>>,
}

#[component]
pub fn ReviewsPage() -> impl IntoView {
    use_title(|| "Photo reviews".into());
    let session = Session::expect();
    let queue: Queue = RwSignal::new(None);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || cancel(timer));
    let reload = Callback::new(move |()| load(session, queue, timer));
    reload.run(());
    // Items are rebuilt only when the set of pending versions changes: a
    // renewal changes URLs only, and each item reads its own (so a reason
    // being typed survives it).
    let shown = Memo::new(move |_| match queue.read().as_ref() {
        None => Shown::Loading,
        Some(Err(err)) => Shown::Failed(err.user_message()),
        Some(Ok(list)) => Shown::Items(list.iter().map(|p| p.version_id.clone()).collect()),
    });
    let desk = Desk {
        queue,
        notice: RwSignal::new(None),
        reload,
        healed: StoredValue::new(Vec::new()),
    };

    view! {
        <section class="hr-page" data-testid="review-queue">
            <h1 class="page-title">"Photo reviews"</h1>
            {move || desk.notice.get().map(|text| view! {
                <p class="notice hr-notice" role="status" data-testid="review-notice">{text}</p>
            })}
            {move || match shown.get() {
                Shown::Loading => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                Shown::Failed(message) => view! { <ErrorPanel message on_retry=reload /> }.into_any(),
                Shown::Items(versions) if versions.is_empty() => view! {
                    <div class="notice notice--centered" data-testid="queue-empty">
                        <p class="notice__title">"Nothing to review"</p>
                        <p class="notice__text">"New photos appear here once their owners upload them."</p>
                    </div>
                }
                .into_any(),
                Shown::Items(versions) => {
                    let items = queue.with_untracked(|q| match q {
                        Some(Ok(list)) => list.iter().filter(|p| versions.contains(&p.version_id)).cloned().collect(),
                        _ => Vec::new(),
                    });
                    view! {
                        <ul class="review-list">
                            {items.into_iter().map(|item| view! { <ReviewItem item desk /> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Fetches the queue, and schedules the next fetch before its URLs expire.
fn load(session: Session, queue: Queue, timer: StoredValue<Option<TimeoutHandle>>) {
    spawn_local(async move {
        let answer = session.guard(hr::review_queue().await);
        cancel(timer);
        if let Ok(q) = &answer {
            if let Some(delay) = renew_in(&q.pending) {
                let handle = set_timeout_with_handle(move || load(session, queue, timer), delay);
                // Left the page meanwhile: no timer may outlive it.
                if let Some(Some(handle)) = timer.try_set_value(handle.ok()) {
                    handle.clear();
                }
            }
        }
        queue.try_set(Some(answer.map(|q| q.pending)));
    });
}

fn cancel(timer: StoredValue<Option<TimeoutHandle>>) {
    if let Some(handle) = timer.try_update_value(Option::take).flatten() {
        handle.clear();
    }
}

/// When to fetch the queue again: at 80% of the shortest-lived proposed
/// photo URL's lifetime (by the server's clock), but not sooner than 1 s.
fn renew_in(pending: &[PendingReview]) -> Option<Duration> {
    pending
        .iter()
        .map(|p| {
            let at = p.proposed.signed_at.as_millis() + p.proposed.lifetime_ms() * 4 / 5;
            clock::millis_until(lanyard_wire::Timestamp::from_millis(at))
        })
        .min()
        .map(|ms| Duration::from_millis(ms.max(1_000) as u64))
}

/// One pending photo: who, when, current beside proposed, the decision.
#[component]
fn ReviewItem(item: PendingReview, desk: Desk) -> impl IntoView {
    let session = Session::expect();
    let version = item.version_id.clone();
    // The proposed URL is renewed with the queue; the item stays mounted.
    let src = {
        let version = version.clone();
        move || {
            desk.queue.with(|q| {
                q.as_ref()
                    .and_then(|q| q.as_ref().ok())
                    .and_then(|list| list.iter().find(|p| p.version_id == version))
                    .map(|p| p.proposed.url.clone())
            })
        }
    };
    let on_img_error = {
        let version = version.clone();
        move |_| {
            let first = desk.healed.try_update_value(|done| {
                let first = !done.contains(&version);
                done.push(version.clone());
                first
            });
            if first == Some(true) {
                desk.reload.run(());
            }
        }
    };
    let (busy, set_busy) = signal(false);
    let (error, set_error) = signal(None::<String>);
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let name = item.name.clone();
    let decide = move |reject: Option<String>| {
        let (version, name) = (version.clone(), name.clone());
        set_busy.set(true);
        set_error.set(None);
        spawn_local(async move {
            let answer = match reject {
                Some(reason) => hr::reject(&version, reason).await,
                None => hr::approve(&version).await,
            };
            set_busy.try_set(false);
            match session.guard(answer) {
                Ok(()) => desk.queue.update(|q| {
                    if let Some(Ok(list)) = q {
                        list.retain(|p| p.version_id != version);
                    }
                }),
                Err(err) if err.code() == Some(ErrorCode::Conflict) => {
                    desk.notice.set(Some(format!(
                        "Someone else decided on {name}'s photo first (or it was replaced). The queue is up to date again."
                    )));
                    desk.reload.run(());
                }
                Err(err) => {
                    set_error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    let approve = {
        let decide = decide.clone();
        move |_| decide(None)
    };
    let count = move || reason.with(|r| r.chars().count());
    let reason_ok = move || !reason.with(|r| r.trim().is_empty()) && count() <= MAX_REASON_CHARS;
    let submit_reject = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if reason_ok() {
            decide(Some(reason.get_untracked().trim().to_owned()));
        }
    };

    view! {
        <li class="review panel" data-testid="review-item" data-version=item.version_id.clone() data-person=item.person.0>
            <div class="review__who">
                <h2 class="review__name" data-testid="review-name">{item.name.clone()}</h2>
                <p class="muted">{item.title} " · " {item.department}</p>
                <p class="review__when muted">"Submitted " {show_time(item.submitted_at)}</p>
            </div>
            <div class="review__photos">
                <figure class="review__photo" data-testid="review-current">
                    <Avatar name=item.name.clone() person=item.person photo=item.current size=AvatarSize::Large />
                    <figcaption class="muted">"Current"</figcaption>
                </figure>
                <figure class="review__photo" data-testid="review-proposed">
                    <img
                        class="review__img"
                        src=src
                        alt=format!("New photo of {}", item.name)
                        referrerpolicy="no-referrer"
                        width="176"
                        height="176"
                        data-testid="review-img"
                        on:error=on_img_error
                    />
                    <figcaption>"New"</figcaption>
                </figure>
            </div>
            <div class="review__actions">
                <button type="button" class="button button--primary" data-testid="approve" disabled=busy on:click=approve>
                    "Approve"
                </button>
                <button
                    type="button"
                    class="button button--secondary"
                    data-testid="reject"
                    disabled=busy
                    aria-expanded=move || rejecting.get().to_string()
                    on:click=move |_| rejecting.update(|r| *r = !*r)
                >
                    "Reject…"
                </button>
            </div>
            <Show when=move || rejecting.get()>
                <form class="review__reject" on:submit=submit_reject.clone()>
                    <label class="field">
                        <span class="field__label">"Reason (the employee will read this)"</span>
                        <textarea
                            class="input hr-textarea"
                            required
                            data-testid="reject-reason"
                            prop:value=move || reason.get()
                            on:input:target=move |ev| reason.set(ev.target().value())
                        ></textarea>
                    </label>
                    <span class="hr-count" class:hr-count--over=move || { count() > MAX_REASON_CHARS } data-testid="reason-count">
                        {move || count().to_string()} " / " {MAX_REASON_CHARS.to_string()}
                    </span>
                    <button
                        type="submit"
                        class="button button--primary hr-danger"
                        data-testid="reject-confirm"
                        disabled=move || busy.get() || !reason_ok()
                    >
                        "Reject photo"
                    </button>
                </form>
            </Show>
            {move || error.get().map(|m| view! { <p class="form__error" role="alert" data-testid="review-error">{m}</p> })}
        </li>
    }
}
