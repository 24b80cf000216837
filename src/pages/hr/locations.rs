//! `/hr/locations`: every location people work in, with the IANA time zone
//! profiles and cards show its local time by. HR types a zone and saves
//! each row; the server checks the name against its time zone database and
//! says plainly when it is not one.

use crate::api::hr;
use crate::components::error_panel::ErrorPanel;
use crate::format::people_count;
use crate::hooks::use_title::use_title;
use crate::pages::hr::fetch::use_fetch;
use crate::session::Session;
use lanyard_wire::{LocationZone, SetTimeZone};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn LocationsPage() -> impl IntoView {
    use_title(|| "Locations · HR".into());
    let session = Session::expect();
    let locations = use_fetch(move || async move { session.guard(hr::locations().await) });

    view! {
        <section class="hr-page" data-testid="hr-locations">
            <div class="hr-head">
                <h1 class="page-title">"Locations"</h1>
            </div>
            <p class="muted">
                "Set each location's time zone (an IANA name such as Europe/Paris or Asia/Singapore) and profiles and cards of the people there show their local time. Leave it blank to show none."
            </p>
            {move || match locations.data.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <ErrorPanel message=error.user_message() on_retry=Callback::new(move |()| locations.refetch()) />
                }
                .into_any(),
                Some(Ok(page)) => view! {
                    <div class="hr-table-wrap">
                    <table class="hr-table" data-testid="locations-table">
                        <thead>
                            <tr>
                                <th scope="col">"Location"</th>
                                <th scope="col">"People"</th>
                                <th scope="col">"Time zone"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {page.locations.into_iter().map(|row| view! { <LocationRow row /> }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
                .into_any(),
            }}
        </section>
    }
}

/// One location: its zone in a field with a Save button, and the outcome.
#[component]
fn LocationRow(row: LocationZone) -> impl IntoView {
    let session = Session::expect();
    let typed = RwSignal::new(row.time_zone.unwrap_or_default());
    // What the last save said, and whether it was refused.
    let (message, set_message) = signal(None::<(String, bool)>);
    let (busy, set_busy) = signal(false);
    let location = row.location;
    let label = format!("Time zone of {location}");
    let request_location = location.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let request = SetTimeZone {
            location: request_location.clone(),
            time_zone: Some(typed.get_untracked()),
        };
        set_busy.set(true);
        set_message.set(None);
        spawn_local(async move {
            match session.guard(hr::set_time_zone(&request).await) {
                Ok(answer) => {
                    let zone = answer.time_zone.clone();
                    typed.try_set(zone.clone().unwrap_or_default());
                    let said = match zone {
                        Some(zone) => format!("Saved: {zone}."),
                        None => "Cleared.".into(),
                    };
                    set_message.try_set(Some((said, false)));
                }
                Err(error) => _ = set_message.try_set(Some((error.user_message(), true))),
            }
            set_busy.try_set(false);
        });
    };
    view! {
        <tr data-testid="location-row" data-location=location.clone()>
            <th scope="row">{location.clone()}</th>
            <td>{people_count(row.people)}</td>
            <td>
                <form class="location-form" on:submit=save>
                    <input
                        class="input"
                        aria-label=label
                        placeholder="e.g. Europe/Paris"
                        data-testid="time-zone-input"
                        prop:value=move || typed.get()
                        on:input=move |ev| typed.set(event_target_value(&ev))
                    />
                    <button class="button button--secondary" type="submit" disabled=busy data-testid="time-zone-save">
                        "Save"
                    </button>
                </form>
                {move || message.get().map(|(text, refused)| view! {
                    <p
                        class=if refused { "form__error" } else { "location-form__note" }
                        role=if refused { "alert" } else { "status" }
                        data-testid=if refused { "time-zone-error" } else { "time-zone-saved" }
                    >
                        {text}
                    </p>
                })}
            </td>
        </tr>
    }
}
