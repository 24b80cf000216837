//! `/hr/import`: people from a CSV file. The file is read in the browser,
//! previewed by a dry run (adds, updates with the fields that change,
//! unchanged lines, errors by line), and imported only when the preview
//! found no error; the server imports all of it or nothing.

use crate::api::hr;
use crate::hooks::use_title::use_title;
use crate::session::Session;
use crate::upload::check::megabytes;
use lanyard_wire::{ImportChange, ImportReport, ImportRequest, MAX_IMPORT_BYTES};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ImportPage() -> impl IntoView {
    use_title(|| "Import · HR".into());
    let session = Session::expect();
    let csv = RwSignal::new(None::<String>);
    // The last answer: a preview of `csv`, or the import's result.
    let report = RwSignal::new(None::<ImportReport>);
    let (error, set_error) = signal(None::<String>);
    let (busy, set_busy) = signal(false);
    let input = NodeRef::<leptos::html::Input>::new();

    let on_change = move |_| {
        csv.set(None);
        report.set(None);
        set_error.set(None);
        let Some(file) = input
            .get_untracked()
            .and_then(|el| el.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        // A blob's size is a whole number of bytes.
        if file.size() as u64 > MAX_IMPORT_BYTES as u64 {
            set_error.set(Some(format!(
                "That file is larger than {}.",
                megabytes(MAX_IMPORT_BYTES as u64)
            )));
            return;
        }
        spawn_local(async move {
            // A Response over the file reads it as UTF-8 text, no extra crate.
            let text = match gloo_net::http::Response::builder().body(Some(&*file)) {
                Ok(response) => response.text().await.ok(),
                Err(_) => None,
            };
            match text {
                Some(text) => csv.try_set(Some(text)),
                None => set_error.try_set(Some("This browser could not read that file.".into())),
            };
        });
    };
    let send = move |dry_run: bool| {
        let Some(text) = csv.get_untracked() else {
            return;
        };
        set_busy.set(true);
        set_error.set(None);
        spawn_local(async move {
            let answer = session.guard(hr::import(&ImportRequest { csv: text, dry_run }).await);
            set_busy.try_set(false);
            match answer {
                Ok(r) => {
                    if r.applied {
                        csv.try_set(None);
                    }
                    report.try_set(Some(r));
                }
                Err(err) => {
                    set_error.try_set(Some(err.user_message()));
                }
            }
        });
    };
    let can_import = move || {
        csv.with(Option::is_some)
            && report.with(|r| r.as_ref().is_some_and(|r| r.dry_run && r.errors.is_empty()))
    };

    view! {
        <section class="hr-page" data-testid="hr-import">
            <h1 class="page-title">"Import people"</h1>
            <p class="muted hr-intro">
                "A CSV file with a header row: " <code>"name,email,title,department,location,phone,manager_email,role"</code>
                ". People are matched by email: a known email updates that person, a new one adds a person. One bad line stops the whole import."
            </p>
            <div class="panel hr-import">
                <label class="button button--secondary file-button" class:file-button--disabled=busy>
                    "Choose a CSV file…"
                    <input class="sr-only" type="file" accept=".csv,text/csv" data-testid="csv-input" node_ref=input disabled=busy on:change=on_change />
                </label>
                <button type="button" class="button button--secondary" data-testid="preview" disabled=move || busy.get() || csv.with(Option::is_none) on:click=move |_| send(true)>
                    "Preview"
                </button>
                <button type="button" class="button button--primary" data-testid="import" disabled=move || busy.get() || !can_import() on:click=move |_| send(false)>
                    "Import"
                </button>
            </div>
            {move || error.get().map(|m| view! { <p class="form__error" role="alert" data-testid="import-error">{m}</p> })}
            {move || report.get().map(|r| view! { <Report report=r /> })}
        </section>
    }
}

/// A preview or a result, line by line.
#[component]
fn Report(report: ImportReport) -> impl IntoView {
    let (adds, updates) = (report.adds.len(), report.updates.len());
    let summary = if report.applied {
        format!(
            "Imported: {adds} added, {updates} updated, {} unchanged.",
            report.unchanged
        )
    } else {
        format!(
            "Preview: {adds} to add, {updates} to update, {} unchanged, {} with errors.",
            report.unchanged,
            report.errors.len()
        )
    };
    let errors = report.errors.into_iter().map(|e| {
        view! { <li data-testid="import-line-error" data-line=e.line>"Line " {e.line} ": " {e.message}</li> }
    });
    let changes = |list: Vec<ImportChange>, testid: &'static str| {
        list.into_iter()
            .map(|c| {
                let changed = (!c.changed.is_empty()).then(|| format!(" — {}", c.changed.join(", ")));
                view! { <li data-testid=testid>"Line " {c.line} ": " {c.name} " <" {c.email} ">" {changed}</li> }
            })
            .collect_view()
    };
    view! {
        <div class="panel hr-report" data-testid="import-report" data-applied=report.applied.to_string()>
            <p class="hr-report__summary" data-testid="import-summary">{summary}</p>
            <ul class="hr-report__errors">{errors.collect_view()}</ul>
            <ul>{changes(report.adds, "import-add")}</ul>
            <ul>{changes(report.updates, "import-update")}</ul>
        </div>
    }
}
