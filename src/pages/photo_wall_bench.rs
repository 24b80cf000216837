//! `/bench/photo-wall?count=N`: N photos on one screen, for the photo
//! healing benchmark (`scripts/bench-photos.sh`) only.
//!
//! Built only with the `bench` cargo feature: the directory never shows more
//! than a page of cards, but the benchmark needs hundreds of photos whose
//! URLs expire together, each a real [`Avatar`] with its healer. The page
//! fetches directory pages until it has N people with photos and shows them
//! as small avatars in one dense block.

use crate::api;
use crate::components::avatar::{Avatar, AvatarSize};
use crate::nav::Nav;
use crate::session::Session;
use lanyard_wire::{DirectoryQuery, PersonSummary, MAX_PAGE_SIZE};
use leptos::prelude::*;

/// The most photos the page will show.
const MAX_COUNT: usize = 2_000;

#[component]
pub fn PhotoWallBench() -> impl IntoView {
    let session = Session::expect();
    let nav = Nav::expect();
    let count = move || {
        nav.query("count")
            .and_then(|c| c.parse::<usize>().ok())
            .unwrap_or(500)
            .min(MAX_COUNT)
    };
    let people = LocalResource::new(move || {
        let wanted = count();
        async move { session.guard(people_with_photos(wanted).await) }
    });

    view! {
        <section class="photo-wall" data-testid="photo-wall">
            <Suspense fallback=|| "Loading…">
                {move || Suspend::new(async move {
                    match people.await {
                        Ok(people) => {
                            let shown = people.len();
                            view! {
                                <p data-testid="photo-wall-count">{shown}</p>
                                <div style:display="flex" style:flex-wrap="wrap" style:gap="4px">
                                    {people
                                        .into_iter()
                                        .map(|p| {
                                            view! {
                                                <Avatar
                                                    name=p.name
                                                    person=p.id
                                                    photo=p.photo
                                                    size=AvatarSize::Small
                                                />
                                            }
                                        })
                                        .collect_view()}
                                </div>
                            }
                                .into_any()
                        }
                        Err(err) => view! { <p role="alert">{err.user_message()}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Directory pages, in order, until `wanted` people with a photo are found.
async fn people_with_photos(wanted: usize) -> Result<Vec<PersonSummary>, api::ClientError> {
    let mut found = Vec::with_capacity(wanted);
    for page in 1.. {
        let query = DirectoryQuery {
            page: Some(page),
            per_page: Some(MAX_PAGE_SIZE),
            ..DirectoryQuery::default()
        };
        let answer = api::people(&query).await?;
        let last = answer.people.len() < MAX_PAGE_SIZE as usize;
        found.extend(answer.people.into_iter().filter(|p| p.photo.is_some()));
        if found.len() >= wanted || last {
            break;
        }
    }
    found.truncate(wanted);
    Ok(found)
}
