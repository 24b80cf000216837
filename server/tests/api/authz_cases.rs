//! The authorization matrix's table: every route of the API, who asks
//! (anonymous, an employee, HR) and about whom (their own record, another
//! person's, a person with a pending photo, one with a rejected photo, a
//! deactivated person, nobody) → the status the server must answer.
//! Adding an endpoint means adding its row here; `authz.rs` runs the table.

use serde_json::{json, Value};

/// Whom a cell's path (or body) is about; the runner makes a fresh one for
/// every cell, so one cell's change never leaks into another's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// A route about nobody in particular (a list, one's own session).
    None,
    /// The caller's own record, version or upload.
    Own,
    /// Another active person's (with an approved photo).
    Another,
    /// A person with a photo pending review: the pending version.
    Pending,
    /// A person whose latest photo was rejected: the rejected version.
    Rejected,
    /// A deactivated person (with an approved photo and a pending one).
    Deactivated,
    /// Nobody: an id that does not exist.
    Unknown,
}

/// What the path's placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// No placeholder.
    Nothing,
    /// `{id}` is a person id.
    Person,
    /// `{id}` is a photo version id (HR's review).
    Version,
    /// `{id}` is an upload id (one's own upload routes).
    Upload,
}

/// Statuses per subject, in the order of [`ALL`] (or the one cell of `None`).
pub type Statuses = &'static [u16];

/// One route's row.
pub struct Row {
    pub method: &'static str,
    pub path: &'static str,
    pub target: Target,
    /// The JSON body sent (the person's id replaces `"{id}"` values).
    pub body: Option<fn() -> Value>,
    /// The route ends the caller's session: each cell gets a fresh one.
    pub ends_session: bool,
    pub anonymous: Statuses,
    pub employee: Statuses,
    pub hr: Statuses,
}

/// The subjects of a row with a placeholder, in column order.
pub const ALL: [Subject; 6] = [
    Subject::Own,
    Subject::Another,
    Subject::Pending,
    Subject::Rejected,
    Subject::Deactivated,
    Subject::Unknown,
];

const fn row(method: &'static str, path: &'static str, target: Target) -> Row {
    Row {
        method,
        path,
        target,
        body: None,
        ends_session: false,
        anonymous: &[],
        employee: &[],
        hr: &[],
    }
}

const A401: Statuses = &[401; 6];
const F403: Statuses = &[403; 6];

fn wrong_password() -> Value {
    json!({ "email": "employee@lanyard.example", "password": "not the password" })
}
fn photo_batch() -> Value {
    json!({ "people": ["{id}"], "size": "thumb" })
}
fn time_zone() -> Value {
    json!({ "location": "Nowhere", "time_zone": "Europe/Oslo" })
}
fn upload_request() -> Value {
    json!({ "content_type": "image/jpeg", "content_length": 1000 })
}
fn made_up_token() -> Value {
    json!({ "token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
}
fn made_up_token_and_password() -> Value {
    json!({ "token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "password": "purple otter kite" })
}
fn reason() -> Value {
    json!({ "reason": "Please use a photo of your face." })
}

/// Every route of `/api`.
pub fn rows() -> Vec<Row> {
    use Target::*;
    vec![
        Row {
            anonymous: &[200],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/health", Nothing)
        },
        Row {
            anonymous: &[200],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/ready", Nothing)
        },
        // The OpenAPI document describes, it grants nothing.
        Row {
            anonymous: &[200],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/openapi.json", Nothing)
        },
        // Public, but only with the right password.
        Row {
            body: Some(wrong_password),
            anonymous: &[401],
            employee: &[401],
            hr: &[401],
            ..row("POST", "/api/session", Nothing)
        },
        Row {
            ends_session: true,
            anonymous: &[401],
            employee: &[200],
            hr: &[200],
            ..row("DELETE", "/api/session", Nothing)
        },
        // How to sign in: public.
        Row {
            anonymous: &[200],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/session/options", Nothing)
        },
        // Single sign-on is not set up in this matrix's server.
        Row {
            anonymous: &[404],
            employee: &[404],
            hr: &[404],
            ..row("GET", "/api/sso/start", Nothing)
        },
        Row {
            anonymous: &[404],
            employee: &[404],
            hr: &[404],
            ..row("GET", "/api/sso/callback?code=x&state=y", Nothing)
        },
        // A sign-in link opens nothing without its token, whoever asks.
        Row {
            body: Some(made_up_token),
            anonymous: &[404],
            employee: &[404],
            hr: &[404],
            ..row("POST", "/api/sign-in-link", Nothing)
        },
        Row {
            body: Some(made_up_token_and_password),
            anonymous: &[404],
            employee: &[404],
            hr: &[404],
            ..row("POST", "/api/sign-in-link/password", Nothing)
        },
        // Only HR makes links, for active people.
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[201, 201, 201, 201, 409, 404],
            ..row("POST", "/api/hr/people/{id}/sign-in-link", Person)
        },
        Row {
            anonymous: &[401],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/me", Nothing)
        },
        Row {
            anonymous: &[401],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/people?per_page=100", Nothing)
        },
        Row {
            anonymous: &[401],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/facets", Nothing)
        },
        // A deactivated person has left the directory, for HR too.
        Row {
            anonymous: A401,
            employee: &[200, 200, 200, 200, 404, 404],
            hr: &[200, 200, 200, 200, 404, 404],
            ..row("GET", "/api/people/{id}", Person)
        },
        // A contact card is a profile's details: the same people.
        Row {
            anonymous: A401,
            employee: &[200, 200, 200, 200, 404, 404],
            hr: &[200, 200, 200, 200, 404, 404],
            ..row("GET", "/api/people/{id}/vcard", Person)
        },
        // The org chart and its branches: the same people as profiles.
        Row {
            anonymous: A401,
            employee: &[200, 200, 200, 200, 404, 404],
            hr: &[200, 200, 200, 200, 404, 404],
            ..row("GET", "/api/people/{id}/org", Person)
        },
        Row {
            anonymous: A401,
            employee: &[200, 200, 200, 200, 404, 404],
            hr: &[200, 200, 200, 200, 404, 404],
            ..row("GET", "/api/people/{id}/reports", Person)
        },
        // Answered for everybody; a deactivated or unknown person is left out.
        Row {
            body: Some(photo_batch),
            anonymous: A401,
            employee: &[200; 6],
            hr: &[200; 6],
            ..row("POST", "/api/photos/urls", Person)
        },
        Row {
            anonymous: &[401],
            employee: &[200],
            hr: &[200],
            ..row("GET", "/api/me/photo", Nothing)
        },
        Row {
            anonymous: &[401],
            employee: &[204],
            hr: &[204],
            ..row("DELETE", "/api/me/photo", Nothing)
        },
        Row {
            body: Some(upload_request),
            anonymous: &[401],
            employee: &[201],
            hr: &[201],
            ..row("POST", "/api/me/photo/uploads", Nothing)
        },
        // One's own uploads only: anyone else's id is as unknown as a made-up one.
        Row {
            anonymous: A401,
            employee: &[200, 404, 404, 404, 404, 404],
            hr: &[200, 404, 404, 404, 404, 404],
            ..row("POST", "/api/me/photo/uploads/{id}/url", Upload)
        },
        Row {
            anonymous: A401,
            employee: &[200, 404, 404, 404, 404, 404],
            hr: &[200, 404, 404, 404, 404, 404],
            ..row("POST", "/api/me/photo/uploads/{id}/complete", Upload)
        },
        Row {
            anonymous: A401,
            employee: &[204, 404, 404, 404, 404, 404],
            hr: &[204, 404, 404, 404, 404, 404],
            ..row("DELETE", "/api/me/photo/uploads/{id}", Upload)
        },
        // HR's desk.
        Row {
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("GET", "/api/hr/reviews", Nothing)
        },
        // HR may review their own photo; decided versions are conflicts.
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[204, 409, 204, 409, 409, 404],
            ..row("POST", "/api/hr/reviews/{id}/approve", Version)
        },
        Row {
            body: Some(reason),
            anonymous: A401,
            employee: F403,
            hr: &[204, 409, 204, 409, 409, 404],
            ..row("POST", "/api/hr/reviews/{id}/reject", Version)
        },
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[204, 204, 204, 204, 204, 404],
            ..row("DELETE", "/api/hr/people/{id}/photo", Person)
        },
        Row {
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("GET", "/api/hr/audit", Nothing)
        },
        Row {
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("GET", "/api/hr/audit.csv", Nothing)
        },
        // Locations' time zones: HR's.
        Row {
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("GET", "/api/hr/locations", Nothing)
        },
        Row {
            body: Some(time_zone),
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("PUT", "/api/hr/locations/time-zone", Nothing)
        },
        // People admin (the admin helper's routes; their writes add rows here).
        Row {
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("GET", "/api/hr/people", Nothing)
        },
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[200, 200, 200, 200, 200, 404],
            ..row("GET", "/api/hr/people/{id}", Person)
        },
        Row {
            body: Some(new_person),
            anonymous: &[401],
            employee: &[403],
            hr: &[201],
            ..row("POST", "/api/hr/people", Nothing)
        },
        // HR keeps their own role in the edit of their own record.
        Row {
            body: Some(edited_person),
            anonymous: A401,
            employee: F403,
            hr: &[200, 200, 200, 200, 200, 404],
            ..row("PUT", "/api/hr/people/{id}", Person)
        },
        // Nobody deactivates themself; deactivating twice changes nothing.
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[409, 200, 200, 200, 200, 404],
            ..row("POST", "/api/hr/people/{id}/deactivate", Person)
        },
        Row {
            anonymous: A401,
            employee: F403,
            hr: &[200, 200, 200, 200, 200, 404],
            ..row("POST", "/api/hr/people/{id}/reactivate", Person)
        },
        Row {
            body: Some(import_dry_run),
            anonymous: &[401],
            employee: &[403],
            hr: &[200],
            ..row("POST", "/api/hr/import", Nothing)
        },
    ]
}

fn new_person() -> Value {
    json!({
        "name": "Matrix New", "email": "matrix-new@lanyard.example", "title": "Tester",
        "department": "Testing", "location": "Nowhere", "phone": "+1 555 0101",
        "manager": null, "role": "employee"
    })
}
fn edited_person() -> Value {
    json!({
        "name": "Matrix Edited", "email": "matrix-{id}@lanyard.example", "title": "Tester",
        "department": "Testing", "location": "Nowhere", "phone": "+1 555 0102",
        "manager": null, "role": "hr"
    })
}
fn import_dry_run() -> Value {
    json!({
        "csv": "name,email,title,department,location,phone,manager_email,role\n\
                Matrix Import,matrix-import@lanyard.example,Tester,Testing,Nowhere,+1 555 0103,,employee\n",
        "dry_run": true
    })
}
