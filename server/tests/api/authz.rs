//! The authorization matrix: runs every cell of `authz_cases::rows()`
//! against the real server — each role × each subject → the exact status —
//! and checks on the way that no answer to anyone but the owner (or HR's
//! review queue) carries a pending or rejected photo's version id.
//!
//! Every cell gets fresh subjects (people and versions made for it), so a
//! cell that changes something (an approval, an erasure) cannot change the
//! answer of another. Mismatches are collected and reported together.

use crate::authz_cases::{rows, Row, Statuses, Subject, Target, ALL};
use crate::helpers::{plain_client, signed_in_client, spawn_app, TestApp, EMPLOYEE, HR};
use lanyard_server::db::{query, Exec as _};
use lanyard_server::storage::keys;
use reqwest::{Client, Method};
use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Anonymous,
    Employee,
    Hr,
    /// Signed in, then deactivated: the session is worth nothing.
    Departed,
}

/// The server and the fixtures each cell makes.
struct World {
    app: TestApp,
    employee: i64,
    hr: i64,
    made: AtomicU32,
}

/// One cell's request, and the version ids its answer must not carry.
struct Cell {
    path: String,
    body: Option<String>,
    secrets: Vec<String>,
}

impl World {
    async fn new() -> Self {
        let app = spawn_app().await;
        let id_of = |email: &'static str| {
            let db = app.db.clone();
            async move {
                db.scalar::<i64>(query("SELECT id FROM employees WHERE email = $1").bind(email))
                    .await
                    .unwrap()
            }
        };
        let (employee, hr) = (id_of(EMPLOYEE).await, id_of(HR).await);
        Self {
            app,
            employee,
            hr,
            made: AtomicU32::new(0),
        }
    }

    /// A new person with an approved photo; `password` copies the demo
    /// employee's, so the person can sign in.
    async fn person(&self, active: bool, password: bool) -> i64 {
        let n = self.made.fetch_add(1, Ordering::Relaxed);
        let id: i64 = self
            .app
            .db
            .scalar(
                query(
                    "INSERT INTO employees (name, email, title, department, location, phone, \
                     active, password_hash, created_at) \
                     SELECT $1, $2, 'Fixture', 'Testing', 'Nowhere', '+1 555 0100', $3, \
                            CASE WHEN $4 THEN password_hash END, 0 \
                     FROM employees WHERE email = $5 RETURNING id",
                )
                .bind(format!("Aaa Fixture {n}"))
                .bind(format!("fixture-{n}@lanyard.example"))
                .bind(active)
                .bind(password)
                .bind(EMPLOYEE),
            )
            .await
            .unwrap();
        let approved = self.version(id, "approved").await;
        self.app
            .db
            .execute(
                query("UPDATE employees SET photo_version_id = $1 WHERE id = $2")
                    .bind(&approved)
                    .bind(id),
            )
            .await
            .unwrap();
        id
    }

    /// A new version of `person` in `state`; an upload's bytes are stored.
    async fn version(&self, person: i64, state: &str) -> String {
        let id = keys::new_version_id();
        let far = i64::MAX / 2;
        self.app
            .db
            .execute(
                query(
                    "INSERT INTO photo_versions (id, employee_id, state, reason, created_at, \
                     upload_content_type, upload_content_length, upload_expires_at) \
                     VALUES ($1, $2, $3, CASE WHEN $3 = 'rejected' THEN 'Blurry.' END, $4, \
                             'image/jpeg', $5, $6)",
                )
                .bind(&id)
                .bind(person)
                .bind(state)
                .bind(i64::from(self.made.fetch_add(1, Ordering::Relaxed)))
                .bind(i64::try_from(JPEG.len()).unwrap())
                .bind(far),
            )
            .await
            .unwrap();
        if state == "uploading" {
            let body = bytes::Bytes::from(JPEG.clone());
            let store = self.app.uploads.store();
            store
                .put(&keys::upload_key(&id), body, "image/jpeg")
                .await
                .unwrap();
        }
        id
    }

    fn caller(&self, role: Role) -> i64 {
        if role == Role::Hr {
            self.hr
        } else {
            self.employee
        }
    }

    /// The request of one cell, with fresh subjects.
    async fn cell(&self, row: &Row, role: Role, subject: Subject) -> Cell {
        let mut secrets = Vec::new();
        let me = self.caller(role);
        let id = match (row.target, subject) {
            (Target::Nothing, _) => String::new(),
            (Target::Person, Subject::Own) => me.to_string(),
            (_, Subject::Unknown) if row.target == Target::Person => "9999999".into(),
            (_, Subject::Unknown) => keys::new_version_id(),
            (Target::Person, _) => {
                let active = subject != Subject::Deactivated;
                let person = self.person(active, false).await;
                let state = match subject {
                    Subject::Rejected => Some("rejected"),
                    Subject::Pending | Subject::Deactivated => Some("pending"),
                    _ => None,
                };
                if let Some(state) = state {
                    secrets.push(self.version(person, state).await);
                }
                person.to_string()
            }
            (target, _) => {
                let own_state = if target == Target::Upload {
                    "uploading"
                } else {
                    "pending"
                };
                let (person, state) = match subject {
                    Subject::Own => (me, own_state),
                    Subject::Another => (self.person(true, false).await, "approved"),
                    Subject::Pending => (self.person(true, false).await, "pending"),
                    Subject::Rejected => (self.person(true, false).await, "rejected"),
                    _ => (self.person(false, false).await, own_state),
                };
                let version = self.version(person, state).await;
                if person != me && state != "approved" {
                    secrets.push(version.clone());
                }
                version
            }
        };
        // Someone with a pending photo is always around for lists to leak.
        let bystander = self.person(true, false).await;
        secrets.push(self.version(bystander, "pending").await);
        let body = row.body.map(|make| {
            make()
                .to_string()
                .replace("\"{id}\"", &id)
                .replace("{id}", &id)
        });
        Cell {
            path: row.path.replace("{id}", &id),
            body,
            secrets,
        }
    }

    async fn client(&self, role: Role) -> Client {
        match role {
            Role::Anonymous => plain_client(),
            Role::Employee => signed_in_client(&self.app, EMPLOYEE).await,
            Role::Hr => signed_in_client(&self.app, HR).await,
            Role::Departed => {
                let person = self.person(true, true).await;
                let email: String = self
                    .app
                    .db
                    .scalar(query("SELECT email FROM employees WHERE id = $1").bind(person))
                    .await
                    .unwrap();
                let client = signed_in_client(&self.app, &email).await;
                self.app
                    .db
                    .execute(
                        query("UPDATE employees SET active = $1 WHERE id = $2")
                            .bind(false)
                            .bind(person),
                    )
                    .await
                    .unwrap();
                client
            }
        }
    }

    /// Runs one cell; a mismatch (or a leak) is described in the result.
    async fn run(
        &self,
        client: &Client,
        row: &Row,
        role: Role,
        subject: Subject,
        want: u16,
    ) -> Option<String> {
        let cell = self.cell(row, role, subject).await;
        let method = Method::from_bytes(row.method.as_bytes()).unwrap();
        let mut request = client.request(method, self.app.url(&cell.path));
        if let Some(body) = cell.body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let response = request.send().await.unwrap();
        let got = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        let label = format!("{role:?} {subject:?} {} {}", row.method, row.path);
        if got != want {
            return Some(format!("{label}: expected {want}, got {got}: {text:.200}"));
        }
        let reviews = role == Role::Hr && row.path.starts_with("/api/hr/reviews");
        let leaked = cell.secrets.iter().find(|s| text.contains(s.as_str()));
        match leaked {
            Some(secret) if !reviews => Some(format!("{label}: the answer carries {secret}")),
            _ => None,
        }
    }
}

/// A real JPEG, for uploads that get completed.
static JPEG: std::sync::LazyLock<Vec<u8>> =
    std::sync::LazyLock::new(|| crate::samples::jpeg(200, 200));

fn statuses(row: &Row, role: Role) -> Statuses {
    match role {
        Role::Anonymous | Role::Departed => row.anonymous,
        Role::Employee => row.employee,
        Role::Hr => row.hr,
    }
}

/// Every cell of `role`: all subjects of each row.
async fn run_role(role: Role) {
    let world = World::new().await;
    let mut failures = Vec::new();
    let mut shared = world.client(role).await;
    let mut cells = 0;
    for row in rows() {
        let want = statuses(&row, role);
        let subjects: &[Subject] = if row.target == Target::Nothing {
            &[Subject::None]
        } else {
            &ALL
        };
        assert_eq!(
            want.len(),
            subjects.len(),
            "{} {}: one status per subject",
            row.method,
            row.path
        );
        // The departed role: one cell per row is enough to show the session is dead.
        let subjects = if role == Role::Departed {
            &subjects[..1]
        } else {
            subjects
        };
        for (&subject, &status) in subjects.iter().zip(want) {
            if row.ends_session || role == Role::Departed {
                shared = world.client(role).await;
            }
            failures.extend(world.run(&shared, &row, role, subject, status).await);
            cells += 1;
        }
        if row.ends_session {
            shared = world.client(role).await;
        }
    }
    assert!(cells > 20, "the table ran");
    assert!(
        failures.is_empty(),
        "{} of {cells} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[tokio::test]
async fn anonymous_callers_get_only_public_routes() {
    run_role(Role::Anonymous).await;
}

#[tokio::test]
async fn a_deactivated_persons_session_is_worth_nothing() {
    run_role(Role::Departed).await;
}

#[tokio::test]
async fn employees_get_the_directory_and_their_own_photo_only() {
    run_role(Role::Employee).await;
}

#[tokio::test]
async fn hr_gets_the_desk_and_no_one_elses_uploads() {
    run_role(Role::Hr).await;
}
