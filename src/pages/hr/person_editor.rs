//! `/hr/people/new` and `/hr/people/:id`: one person's record — every field,
//! the manager (found by searching), deactivation, photo erasure, and a
//! one-time sign-in link.

use crate::api::hr;
use crate::components::error_panel::ErrorPanel;
use crate::hooks::use_title::use_title;
use crate::nav::{How, Nav};
use crate::pages::hr::fetch::use_fetch;
use crate::pages::hr::person_picker::{PersonPicker, Picked};
use crate::pages::hr::sign_in_link::SignInLinkPanel;
use crate::session::Session;
use lanyard_wire::{EmployeeId, PersonFields, PersonRecord, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The editor of person `id`, or of a new person (`None`).
#[component]
pub fn PersonEditorPage(id: Option<EmployeeId>) -> impl IntoView {
    let session = Session::expect();
    let record = use_fetch(move || async move {
        match id {
            Some(id) => session.guard(hr::person(id).await).map(Some),
            None => Ok(None),
        }
    });
    use_title(move || match record.data.get() {
        Some(Ok(Some(r))) => r.fields.name,
        _ => "Add person".into(),
    });
    view! {
        <section class="hr-page" data-testid="person-editor">
            <nav class="crumbs"><a class="link" href="/hr/people">"← People"</a></nav>
            {move || match record.data.get() {
                None => view! { <p class="muted" aria-busy="true">"Loading…"</p> }.into_any(),
                Some(Err(err)) => view! {
                    <ErrorPanel message=err.user_message() on_retry=Callback::new(move |()| record.refetch()) />
                }
                .into_any(),
                Some(Ok(r)) => view! { <Editor record=r /> }.into_any(),
            }}
        </section>
    }
}

const BLANK: PersonFields = PersonFields {
    name: String::new(),
    email: String::new(),
    title: String::new(),
    department: String::new(),
    location: String::new(),
    phone: String::new(),
    manager: None,
    role: Role::Employee,
};

/// The form, and for existing people their status and photo.
#[component]
fn Editor(record: Option<PersonRecord>) -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let id = record.as_ref().map(|r| r.id);
    let fields = RwSignal::new(record.as_ref().map_or(BLANK, |r| r.fields.clone()));
    let manager: RwSignal<Picked> = RwSignal::new(record.as_ref().and_then(|r| {
        r.fields
            .manager
            .map(|m| (m, r.manager_name.clone().unwrap_or_default()))
    }));
    let (busy, set_busy) = signal(false);
    let (error, set_error) = signal(None::<String>);
    let (saved, set_saved) = signal(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut body = fields.get_untracked();
        body.manager = manager.get_untracked().map(|(m, _)| m);
        set_busy.set(true);
        set_error.set(None);
        set_saved.set(false);
        spawn_local(async move {
            let answer = session.guard(hr::save_person(id, &body).await);
            set_busy.try_set(false);
            match answer {
                Ok(r) if id.is_none() => nav.navigate(&format!("/hr/people/{}", r.id), How::Push),
                Ok(r) => {
                    fields.try_set(r.fields);
                    set_saved.try_set(true);
                }
                Err(err) => {
                    set_error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    // No `required`: the server's message names the field (and its rules).
    let input = |label: &'static str,
                 kind: &'static str,
                 testid: &'static str,
                 pick: fn(&mut PersonFields) -> &mut String| {
        view! {
            <label class="field">
                <span class="field__label">{label}</span>
                <input
                    class="input"
                    type=kind
                    data-testid=testid
                    prop:value=move || fields.with(|f| pick(&mut f.clone()).clone())
                    on:input:target=move |ev| fields.update(|f| *pick(f) = ev.target().value())
                />
            </label>
        }
    };
    let title = match &record {
        Some(r) => r.fields.name.clone(),
        None => "Add person".into(),
    };

    view! {
        <h1 class="page-title">{title}</h1>
        <div class="hr-editor">
            <form class="panel hr-form" on:submit=save data-testid="person-form">
                {input("Name", "text", "field-name", |f| &mut f.name)}
                {input("Email", "email", "field-email", |f| &mut f.email)}
                {input("Title", "text", "field-title", |f| &mut f.title)}
                {input("Department", "text", "field-department", |f| &mut f.department)}
                {input("Location", "text", "field-location", |f| &mut f.location)}
                {input("Phone", "tel", "field-phone", |f| &mut f.phone)}
                <PersonPicker label="Manager (empty: top of the company)" testid="field-manager" chosen=manager />
                <label class="field">
                    <span class="field__label">"Role"</span>
                    <select
                        class="input"
                        data-testid="field-role"
                        on:change:target=move |ev| {
                            let role = if ev.target().value() == "hr" { Role::Hr } else { Role::Employee };
                            fields.update(|f| f.role = role);
                        }
                    >
                        <option value="employee" prop:selected=move || fields.read().role == Role::Employee>"Employee"</option>
                        <option value="hr" prop:selected=move || fields.read().role == Role::Hr>"HR"</option>
                    </select>
                </label>
                {move || error.get().map(|m| view! { <p class="form__error" role="alert" data-testid="form-error">{m}</p> })}
                {move || saved.get().then(|| view! { <p class="hr-ok" role="status" data-testid="form-saved">"Saved."</p> })}
                <button type="submit" class="button button--primary" data-testid="save-person" disabled=busy>
                    {if id.is_some() { "Save changes" } else { "Add person" }}
                </button>
            </form>
            {record.map(|r| view! { <Status record=r /> })}
        </div>
    }
}

/// Active or not, the photo, a sign-in link: the actions that are not
/// form fields.
#[component]
fn Status(record: PersonRecord) -> impl IntoView {
    let session = Session::expect();
    let id = record.id;
    let (active, set_active) = signal(record.active);
    let (message, set_message) = signal(None::<Result<&'static str, String>>);
    let (busy, set_busy) = signal(false);
    let toggle = move |_| {
        let to = !active.get_untracked();
        set_busy.set(true);
        spawn_local(async move {
            let answer = session.guard(hr::set_active(id, to).await);
            set_busy.try_set(false);
            match answer {
                Ok(r) => {
                    set_active.try_set(r.active);
                    set_message.try_set(None);
                }
                Err(err) => {
                    set_message.try_set(Some(Err(err.user_message())));
                }
            }
        });
    };
    let name = record.fields.name;
    let link_for = name.clone();
    let erase = move |_| {
        let question = format!("Remove {name}'s photo? Every version is deleted from the store; the audit log keeps the record.");
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        set_busy.set(true);
        spawn_local(async move {
            let answer = session.guard(hr::erase_photo(id).await);
            set_busy.try_set(false);
            set_message.try_set(Some(
                answer
                    .map(|()| "Photo removed.")
                    .map_err(|e| e.user_message()),
            ));
        });
    };
    view! {
        <aside class="panel hr-status">
            <h2 class="panel__title">"Status"</h2>
            <p data-testid="person-status">{move || if active.get() { "Active: in the directory." } else { "Deactivated: out of the directory, cannot sign in." }}</p>
            <button type="button" class="button button--secondary" data-testid="toggle-active" disabled=busy on:click=toggle>
                {move || if active.get() { "Deactivate" } else { "Reactivate" }}
            </button>
            <h2 class="panel__title">"Photo"</h2>
            <p class="muted">{if record.has_photo { "Has an approved photo." } else { "No approved photo." }}</p>
            <button type="button" class="button hr-danger" data-testid="erase-photo" disabled=busy on:click=erase>
                "Remove photo…"
            </button>
            {move || message.get().map(|m| match m {
                Ok(text) => view! { <p class="hr-ok" role="status" data-testid="status-message">{text}</p> }.into_any(),
                Err(text) => view! { <p class="form__error" role="alert" data-testid="status-message">{text}</p> }.into_any(),
            })}
            <SignInLinkPanel id name=link_for active />
        </aside>
    }
}
