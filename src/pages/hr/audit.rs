//! `/hr/audit`: the audit log, newest first: filters (person, actor,
//! action, dates), "Older" paging by cursor, and the CSV export of
//! everything the filters match.

use crate::api::hr::{self, action_from_key, action_key, action_label, audit_csv_href, ACTIONS};
use crate::components::error_panel::ErrorPanel;
use crate::hooks::use_title::use_title;
use crate::pages::hr::person_picker::{PersonPicker, Picked};
use crate::pages::hr::time::{local_midnight, show_time};
use crate::session::Session;
use lanyard_wire::{AuditAction, AuditEntry, AuditQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Subjects named in a row before "and N more" (a grant can list dozens).
const SUBJECTS_SHOWN: usize = 6;

#[component]
pub fn AuditPage() -> impl IntoView {
    use_title(|| "Audit log · HR".into());
    let session = Session::expect();
    let person: RwSignal<Picked> = RwSignal::new(None);
    let actor: RwSignal<Picked> = RwSignal::new(None);
    let action = RwSignal::new(None::<AuditAction>);
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let query = Memo::new(move |_| AuditQuery {
        person: person.get().map(|(id, _)| id),
        actor: actor.get().map(|(id, _)| id),
        action: action.get(),
        from: local_midnight(&from.get(), false),
        to: local_midnight(&to.get(), true),
        before: None,
        limit: None,
    });

    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let (loading, set_loading) = signal(false);
    let error = RwSignal::new(None::<String>);
    // Answers to superseded filters are dropped.
    let generation = StoredValue::new(0u32);
    let load = move |before: Option<i64>| {
        let asked = AuditQuery {
            before,
            ..query.get_untracked()
        };
        let run = generation
            .get_value()
            .wrapping_add(u32::from(before.is_none()));
        generation.set_value(run);
        set_loading.set(true);
        spawn_local(async move {
            let answer = session.guard(hr::audit(&asked).await);
            if generation.try_get_value() != Some(run) {
                return;
            }
            set_loading.try_set(false);
            match answer {
                Ok(page) => {
                    error.try_set(None);
                    next.try_set(page.next);
                    entries.try_update(|list| {
                        if before.is_none() {
                            list.clear();
                        }
                        list.extend(page.entries);
                    });
                }
                Err(err) => {
                    error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    Effect::new(move |_| {
        query.track();
        load(None);
    });

    let date = |label: &'static str, testid: &'static str, value: RwSignal<String>| {
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input class="input" type="date" data-testid=testid prop:value=move || value.get() on:change:target=move |ev| value.set(ev.target().value()) />
            </label>
        }
    };

    view! {
        <section class="hr-page" data-testid="hr-audit">
            <div class="hr-head">
                <h1 class="page-title">"Audit log"</h1>
                <a class="button button--secondary" href=move || audit_csv_href(&query.get()) download="lanyard-audit.csv" data-testid="audit-csv">
                    "Export CSV"
                </a>
            </div>
            <div class="panel hr-filters">
                <PersonPicker label="About person" testid="audit-person" chosen=person everyone=true />
                <PersonPicker label="By (actor)" testid="audit-actor" chosen=actor everyone=true />
                <label class="field">
                    <span class="field__label">"Action"</span>
                    <select class="input" data-testid="audit-action" on:change:target=move |ev| action.set(action_from_key(&ev.target().value()))>
                        <option value="">"Every action"</option>
                        {ACTIONS.map(|(_, key, label)| view! { <option value=key>{label}</option> })}
                    </select>
                </label>
                {date("From", "audit-from", from)}
                {date("To (inclusive)", "audit-to", to)}
            </div>
            {move || error.get().map(|m| view! { <ErrorPanel message=m on_retry=Callback::new(move |()| load(None)) /> })}
            <div class="hr-table-wrap">
                <table class="hr-table" aria-busy=move || loading.get().to_string()>
                    <thead>
                        <tr><th>"Time"</th><th>"Actor"</th><th>"Action"</th><th>"Subjects"</th><th>"Detail"</th><th>"IP"</th></tr>
                    </thead>
                    <tbody>
                        {move || entries.get().into_iter().map(|entry| view! { <Row entry /> }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || (!loading.get() && entries.with(Vec::is_empty) && error.with(Option::is_none))
                .then(|| view! { <p class="muted" data-testid="audit-empty">"No entries match these filters."</p> })}
            {move || next.get().map(|cursor| view! {
                <button type="button" class="button button--secondary" data-testid="audit-older" disabled=loading on:click=move |_| load(Some(cursor))>
                    "Older"
                </button>
            })}
        </section>
    }
}

/// One entry.
#[component]
fn Row(entry: AuditEntry) -> impl IntoView {
    let total = entry.subjects.len();
    let mut subjects = entry
        .subjects
        .iter()
        .take(SUBJECTS_SHOWN)
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if total > SUBJECTS_SHOWN {
        subjects.push_str(&format!(" and {} more", total - SUBJECTS_SHOWN));
    }
    let subject_ids = entry
        .subjects
        .iter()
        .map(|s| s.id.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <tr data-testid="audit-row" data-action=action_key(entry.action) data-subjects=subject_ids>
            <td class="hr-nowrap">{show_time(entry.at)}</td>
            <td>{entry.actor.map(|a| a.name).or(entry.via).unwrap_or_else(|| "—".to_owned())}</td>
            <td>{action_label(entry.action)}</td>
            <td>{subjects}</td>
            <td class="hr-detail">{entry.detail}</td>
            <td class="hr-nowrap">{entry.ip.unwrap_or_default()}</td>
        </tr>
    }
}
