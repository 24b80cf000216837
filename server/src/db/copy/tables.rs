//! What `copy-database` copies: every table of the schema, with its
//! columns (generated ones left out: the target computes its own) and the
//! key it is read in order of, so both sides' checksums see the same rows in
//! the same order. A test checks this list against the migrated schema, so
//! a column added by a migration cannot be left behind unnoticed.

/// How a column's values are read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Text,
    Bool,
    Bytes,
    /// A time (`timestamptz` on PostgreSQL, text on SQLite), compared to
    /// the microsecond: PostgreSQL keeps no finer.
    Time,
}

/// One table to copy.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    /// The primary key's columns: the order rows are read and summed in.
    pub key: &'static str,
    /// Whether its `id` is an identity whose sequence must move past the
    /// copied ids (PostgreSQL).
    pub identity: bool,
    /// Whether only `--sessions` copies it.
    pub sessions: bool,
}

use Kind::{Bool, Bytes, Int, Text, Time};

/// Every table, in an order whose foreign keys point backwards (they are
/// checked at commit anyway).
pub const TABLES: &[Table] = &[
    Table {
        name: "employees",
        columns: &[
            ("id", Int),
            ("name", Text),
            ("email", Text),
            ("title", Text),
            ("department", Text),
            ("location", Text),
            ("phone", Text),
            ("manager_id", Int),
            ("role", Text),
            ("password_hash", Text),
            ("active", Bool),
            ("photo_version_id", Text),
            ("created_at", Int),
        ],
        key: "id",
        identity: true,
        sessions: false,
    },
    Table {
        name: "photo_versions",
        columns: &[
            ("id", Text),
            ("employee_id", Int),
            ("state", Text),
            ("reason", Text),
            ("created_at", Int),
            ("decided_at", Int),
            ("upload_content_type", Text),
            ("upload_content_length", Int),
            ("upload_expires_at", Int),
        ],
        key: "id",
        identity: false,
        sessions: false,
    },
    Table {
        name: "retired_photo_versions",
        columns: &[("id", Text), ("employee_id", Int)],
        key: "id",
        identity: false,
        sessions: false,
    },
    Table {
        name: "object_deletions",
        columns: &[("key", Text), ("delete_after", Int)],
        key: "key",
        identity: false,
        sessions: false,
    },
    Table {
        name: "audit_log",
        columns: &[
            ("id", Int),
            ("at", Int),
            ("actor_id", Int),
            ("action", Text),
            ("detail", Text),
            ("ip", Text),
            ("actor_label", Text),
        ],
        key: "id",
        identity: true,
        sessions: false,
    },
    Table {
        name: "audit_subjects",
        columns: &[
            ("entry_id", Int),
            ("employee_id", Int),
            ("photo_version_id", Text),
        ],
        key: "entry_id, employee_id",
        identity: false,
        sessions: false,
    },
    Table {
        name: "oidc_identities",
        columns: &[
            ("issuer", Text),
            ("subject", Text),
            ("employee_id", Int),
            ("linked_at", Int),
        ],
        key: "issuer, subject",
        identity: false,
        sessions: false,
    },
    Table {
        name: "sign_in_links",
        columns: &[
            ("employee_id", Int),
            ("token_hash", Text),
            ("created_by", Int),
            ("created_at", Int),
            ("expires_at", Int),
        ],
        key: "employee_id",
        identity: false,
        sessions: false,
    },
    Table {
        name: "scim_users",
        columns: &[
            ("employee_id", Int),
            ("user_name", Text),
            ("external_id", Text),
            ("display_name", Text),
            ("given_name", Text),
            ("family_name", Text),
            ("created_at", Int),
            ("updated_at", Int),
        ],
        key: "employee_id",
        identity: false,
        sessions: false,
    },
    Table {
        name: "scim_tokens",
        columns: &[
            ("name", Text),
            ("token_hash", Text),
            ("created_at", Int),
            ("last_used_at", Int),
        ],
        key: "name",
        identity: false,
        sessions: false,
    },
    Table {
        name: "location_time_zones",
        columns: &[("location", Text), ("time_zone", Text), ("updated_at", Int)],
        key: "location",
        identity: false,
        sessions: false,
    },
    Table {
        name: "tower_sessions",
        columns: &[("id", Text), ("data", Bytes), ("expiry_date", Time)],
        key: "id",
        identity: false,
        sessions: true,
    },
];

/// Tables a migrated database has besides [`TABLES`]: sqlx's bookkeeping,
/// SQLite's full-text indexes and PostgreSQL's directory counts (kept by
/// triggers, which fill them as rows arrive).
pub fn is_derived(table: &str) -> bool {
    table == "_sqlx_migrations"
        || table.starts_with("people_search")
        || table.starts_with("people_words")
        || table == "directory_counts"
        // Limits and leases are live state of running servers, not data.
        || table == "rate_limits"
        || table == "scraping_seen"
        || table == "leases"
        || table == "directory_prefix_counts"
}
