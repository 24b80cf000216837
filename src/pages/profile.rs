//! `/people/:id`: one person, with their manager and direct reports.

use crate::api::{self, ClientError};
use crate::components::avatar::{Avatar, AvatarSize};
use crate::components::copy_button::CopyButton;
use crate::components::error_panel::ErrorPanel;
use crate::components::person_link::PersonLink;
use crate::components::skeleton::SkeletonProfile;
use crate::format::tel_href;
use crate::hooks::use_title::use_title;
use crate::local_time::LocalTime;
use crate::nav::Nav;
use crate::pages::not_found::NotFoundNotice;
use crate::query::DirectoryFilters;
use crate::session::Session;
use lanyard_wire::{EmployeeId, PersonDetail};
use leptos::either::EitherOf3;
use leptos::prelude::*;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    // A non-numeric id cannot exist: show "not found" without asking.
    let id = Memo::new(move |_| {
        nav.path()
            .trim_end_matches('/')
            .strip_prefix("/people/")
            .and_then(|id| id.parse::<i64>().ok())
            .map(EmployeeId)
    });
    let profile = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => session.guard(api::person(id).await.map(|p| p.person)),
                None => Err(ClientError::not_found()),
            }
        }
    });

    use_title(move || match profile.get() {
        Some(Ok(person)) => person.name,
        Some(Err(err)) if err.is_not_found() => "Not found".into(),
        _ => String::new(),
    });

    view! {
        <div class="profile-page">
            <nav class="crumbs">
                <a class="link" href="/" data-testid="back">"← All people"</a>
            </nav>
            <Transition fallback=|| view! { <SkeletonProfile /> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(person) => EitherOf3::A(view! { <Profile person /> }),
                        Err(err) if err.is_not_found() => EitherOf3::B(view! {
                            <NotFoundNotice
                                title="We couldn't find that person"
                                text="They may have left the company, or the link is wrong."
                                testid="profile-not-found"
                            />
                        }),
                        Err(err) => EitherOf3::C(view! {
                            <ErrorPanel
                                message=err.user_message()
                                on_retry=Callback::new(move |()| profile.refetch())
                            />
                        }),
                    }
                })}
            </Transition>
        </div>
    }
}

#[component]
fn Profile(person: PersonDetail) -> impl IntoView {
    let department_href = DirectoryFilters::default()
        .with_department(&person.department)
        .href();
    let location_href = DirectoryFilters::default()
        .with_location(&person.location)
        .href();
    let report_count = person.reports.len();
    // The directory filtered to their reports: searchable, with filters,
    // paged, where the list below shows them all at once.
    let team_href = DirectoryFilters::default()
        .with_manager(Some(person.id.0))
        .href();
    let team_link = (report_count > 0).then(|| {
        view! {
            <a class="link" href=team_href data-testid="team-in-directory">
                "Find among their reports in the directory"
            </a>
        }
    });
    let manager = match person.manager {
        Some(manager) => view! { <PersonLink person=manager testid="manager-link" /> }.into_any(),
        None => view! { <p class="muted">"Nobody — top of the organisation."</p> }.into_any(),
    };
    let reports = if person.reports.is_empty() {
        view! { <p class="muted">"No direct reports."</p> }.into_any()
    } else {
        view! {
            <ul class="person-list" data-testid="reports">
                {person
                    .reports
                    .into_iter()
                    .map(|p| view! { <li><PersonLink person=p testid="report-link" /></li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <article class="profile" data-testid="profile">
            <header class="profile-hero panel">
                <Avatar name=person.name.clone() person=person.id photo=person.photo size=AvatarSize::Large />
                <div class="profile-hero__text">
                    <h1 class="profile-hero__name" data-testid="profile-name">{person.name}</h1>
                    <p class="profile-hero__title">{person.title}</p>
                    {person.time_zone.clone().map(|zone| view! {
                        <p class="profile-hero__time">
                            <LocalTime zone location=person.location.clone() />
                        </p>
                    })}
                    <a class="pill pill--link" href=department_href>{person.department.clone()}</a>
                    // A download, not a page: the card has no photo (a file
                    // outlives every URL lifetime); the server audits it.
                    <a
                        class="button button--secondary profile-hero__contact"
                        href=format!("/api/people/{}/vcard", person.id.0)
                        download=""
                        data-testid="add-to-contacts"
                    >
                        "Add to contacts"
                    </a>
                </div>
            </header>
            <div class="profile-grid">
                <section class="panel">
                    <h2 class="panel__title">"Contact"</h2>
                    <dl class="facts">
                        <div class="facts__row">
                            <dt>"Email"</dt>
                            <dd>
                                <a class="link" href=format!("mailto:{}", person.email) data-testid="email-link">
                                    {person.email.clone()}
                                </a>
                                <CopyButton text=person.email.clone() what="email" testid="copy-email" />
                            </dd>
                        </div>
                        <div class="facts__row">
                            <dt>"Phone"</dt>
                            <dd>
                                <a class="link" href=tel_href(&person.phone) data-testid="phone-link">
                                    {person.phone.clone()}
                                </a>
                                {(!person.phone.is_empty()).then(|| view! {
                                    <CopyButton text=person.phone.clone() what="phone number" testid="copy-phone" />
                                })}
                            </dd>
                        </div>
                        <div class="facts__row">
                            <dt>"Location"</dt>
                            <dd><a class="link" href=location_href>{person.location}</a></dd>
                        </div>
                        <div class="facts__row">
                            <dt>"Department"</dt>
                            <dd>{person.department}</dd>
                        </div>
                    </dl>
                </section>
                <section class="panel">
                    <h2 class="panel__title">"Reports to"</h2>
                    {manager}
                    <a class="link" href=format!("/people/{}/org", person.id) data-testid="org-chart-link">
                        "See the org chart"
                    </a>
                </section>
                <section class="panel panel--wide">
                    <h2 class="panel__title">
                        "Direct reports" <span class="panel__count">{report_count}</span>
                    </h2>
                    {reports}
                    {team_link}
                </section>
            </div>
        </article>
    }
}
