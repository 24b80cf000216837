//! Directory search through its indexes (migration 20261126000004_search):
//! short searches, folding, the indexes following every change to a person,
//! both query plans, and the timing header.

use crate::helpers::{spawn_app, TestApp, PEOPLE};
use lanyard_wire::{DirectoryPage, PersonSummary};
use std::collections::HashSet;

async fn signed_in_app() -> TestApp {
    let app = spawn_app().await;
    app.sign_in_as_employee().await;
    app
}

fn ids(page: &DirectoryPage) -> Vec<i64> {
    page.people.iter().map(|p| p.id.0).collect()
}

fn has_word_starting_with(person: &PersonSummary, prefix: &str) -> bool {
    let prefix = prefix.to_lowercase();
    [&person.name, &person.title]
        .iter()
        .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
        .any(|word| word.to_lowercase().starts_with(&prefix))
}

/// Every page of `query` with one person per page, in order.
async fn walk_one_by_one(app: &TestApp, query: &str) -> Vec<i64> {
    let first = app.people(&format!("{query}&per_page=1")).await;
    let mut walked = ids(&first);
    for page in 2..=first.total {
        let next = app.people(&format!("{query}&per_page=1&page={page}")).await;
        assert_eq!(next.total, first.total, "{query} page {page}");
        walked.extend(ids(&next));
    }
    walked
}

#[tokio::test]
async fn one_or_two_letters_find_words_that_start_with_them() {
    let app = signed_in_app().await;
    let everyone = app.people("per_page=100").await;
    let last_name = everyone.people[5].name.split(' ').next_back().unwrap();
    let prefix: String = last_name.chars().take(2).collect();

    let found = app.people(&format!("q={prefix}&per_page=100")).await;

    assert!(ids(&found).contains(&everyone.people[5].id.0));
    assert!(found
        .people
        .iter()
        .all(|p| has_word_starting_with(p, &prefix)));
    let expected = everyone
        .people
        .iter()
        .filter(|p| has_word_starting_with(p, &prefix))
        .count();
    assert_eq!(found.total as usize, expected);
}

#[tokio::test]
async fn two_letters_inside_a_word_or_an_email_find_nobody_there() {
    // "la" is in every email (lanyard.example): as a substring it would
    // match the whole directory.
    let app = signed_in_app().await;
    let page = app.people("q=la&per_page=100").await;
    assert!(page.total < PEOPLE, "{}", page.total);
    assert!(page.people.iter().all(|p| has_word_starting_with(p, "la")));
}

#[tokio::test]
async fn three_letters_are_found_anywhere_including_the_email() {
    let app = signed_in_app().await;
    let page = app.people("q=lanyard.EXAMPLE").await;
    assert_eq!(page.total, PEOPLE);
    let middle = app.people("q=ngineer&per_page=100").await;
    assert!(middle.total > 0);
    assert!(middle.people.iter().all(|p| p.title.contains("ngineer")));
}

#[tokio::test]
async fn case_and_diacritics_are_ignored() {
    let app = signed_in_app().await;
    app.execute("UPDATE employees SET name = 'Zoë Quennell-Ångström' WHERE id = 7")
        .await;
    for q in ["zoe", "ZOË", "Zo", "angstrom", "QUENNELL-ÅNG", "an"] {
        let page = app.people(&format!("q={q}&per_page=100")).await;
        assert!(ids(&page).contains(&7), "q={q}");
    }
}

#[tokio::test]
async fn the_index_follows_every_change_to_a_person() {
    let app = signed_in_app().await;
    let find = |q: &'static str| {
        let app = &app;
        async move { ids(&app.people(&format!("q={q}&per_page=100")).await) }
    };

    // A new person is found; a renamed one under the new name only.
    app.execute(
        "INSERT INTO employees (id, name, email, title, department, location, phone, created_at) \
         VALUES (9001, 'Quirinus Xylander', 'qx@lanyard.example', 'Archivist', 'Legal', 'Remote', '+1', 0)",
    )
    .await;
    assert_eq!(find("xylander").await, vec![9001]);
    assert_eq!(find("Qu").await.iter().filter(|&&id| id == 9001).count(), 1);
    app.execute("UPDATE employees SET name = 'Quirinus Yarrow', title = 'Curator' WHERE id = 9001")
        .await;
    assert!(find("xylander").await.is_empty());
    assert!(find("archivist").await.is_empty());
    assert_eq!(find("yarrow").await, vec![9001]);
    assert_eq!(find("curator").await, vec![9001]);

    // Leaving hides them from every search; coming back shows them again.
    app.execute("UPDATE employees SET active = FALSE WHERE id = 9001")
        .await;
    assert!(find("yarrow").await.is_empty());
    assert!(!find("Ya").await.contains(&9001));
    app.execute("UPDATE employees SET active = TRUE WHERE id = 9001")
        .await;
    assert_eq!(find("yarrow").await, vec![9001]);

    // Other columns change without touching the index.
    app.execute("UPDATE employees SET phone = '+2' WHERE id = 9001")
        .await;
    assert_eq!(find("yarrow").await, vec![9001]);
    app.execute("DELETE FROM employees WHERE id = 9001").await;
    assert!(find("yarrow").await.is_empty());
}

#[tokio::test]
async fn both_query_plans_give_the_same_order() {
    // One person per page: pages near either end walk a name index
    // (forwards, or backwards from the end), the middle pages of the sparser
    // "e" (a word start) sort its matches instead, and Engineering walks its
    // department's index; every page must agree with the plain listing.
    let app = signed_in_app().await;
    let everyone = ids(&app.people("per_page=100").await);
    assert_eq!(walk_one_by_one(&app, "q=example").await, everyone);

    let engineering = ids(&app.people("department=Engineering&per_page=100").await);
    assert_eq!(
        walk_one_by_one(&app, "q=example&department=Engineering").await,
        engineering
    );
    let short = ids(&app.people("q=e&per_page=100").await);
    assert_eq!(walk_one_by_one(&app, "q=e").await, short);
    assert_eq!(short.iter().collect::<HashSet<_>>().len(), short.len());
}

#[tokio::test]
async fn filters_combine_with_both_index_lengths() {
    let app = signed_in_app().await;
    let facets: lanyard_wire::Facets =
        crate::helpers::json_of(app.get("/api/facets").await, reqwest::StatusCode::OK).await;
    let location = &facets.locations[0];
    for q in ["e", "en", "eng", "example"] {
        let both = app
            .people(&format!(
                "q={q}&department=Engineering&location={location}&per_page=100"
            ))
            .await;
        let text_only = app.people(&format!("q={q}&per_page=100")).await;
        let expected: Vec<_> = text_only
            .people
            .iter()
            .filter(|p| p.department == "Engineering" && &p.location == location)
            .map(|p| p.id.0)
            .collect();
        assert_eq!(ids(&both), expected, "q={q}");
        assert_eq!(both.total as usize, expected.len(), "q={q}");
    }
}

#[tokio::test]
async fn directory_answers_say_how_long_they_took() {
    let app = signed_in_app().await;
    let response = app.get_people("q=eng").await;
    let timing = response
        .headers()
        .get("server-timing")
        .expect("a server-timing header")
        .to_str()
        .unwrap()
        .to_owned();
    assert!(timing.starts_with("db;dur="), "{timing}");
    assert!(timing.contains(", app;dur="), "{timing}");
}
