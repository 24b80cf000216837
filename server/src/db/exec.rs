//! Running a [`Statement`] on either database: on the pool ([`Db`]) or
//! inside a transaction ([`Tx`]), through the one trait [`Exec`], the way
//! sqlx's own `Executor` is used (`&db`, `&mut tx`).
//!
//! A statement is SQL text, one per dialect where they differ, and its
//! arguments as [`Value`]s. Both drivers accept `$1`-style placeholders, so
//! most statements are written once. This is not a query builder: the text
//! is written by hand in the domain that owns it.

use super::value::Value;
use super::{Db, Dialect, Tx, TxInner};
use sqlx::postgres::{PgConnection, PgRow};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{Decode, FromRow, PgPool, Postgres, Sqlite, SqlitePool, Type};
use std::borrow::Cow;
use std::future::Future;

/// A row type both drivers can read (`#[derive(sqlx::FromRow)]` gives both).
pub trait Record:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Record for T where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

/// A single column's type both drivers can read.
pub trait Scalar:
    for<'r> Decode<'r, Sqlite>
    + Type<Sqlite>
    + for<'r> Decode<'r, Postgres>
    + Type<Postgres>
    + Send
    + Unpin
{
}
impl<T> Scalar for T where
    T: for<'r> Decode<'r, Sqlite>
        + Type<Sqlite>
        + for<'r> Decode<'r, Postgres>
        + Type<Postgres>
        + Send
        + Unpin
{
}

/// SQL text and its arguments.
#[derive(Debug, Clone)]
#[must_use = "a statement does nothing until it is run"]
pub struct Statement<'s> {
    sqlite: Cow<'s, str>,
    postgres: Option<Cow<'s, str>>,
    args: Vec<Value>,
    persistent: bool,
}

/// A statement whose text both dialects accept.
pub fn query<'s>(sql: impl Into<Cow<'s, str>>) -> Statement<'s> {
    Statement {
        sqlite: sql.into(),
        postgres: None,
        args: Vec::new(),
        persistent: true,
    }
}

/// A statement written once per dialect (the same arguments for both).
pub fn query_each<'s>(
    sqlite: impl Into<Cow<'s, str>>,
    postgres: impl Into<Cow<'s, str>>,
) -> Statement<'s> {
    Statement {
        sqlite: sqlite.into(),
        postgres: Some(postgres.into()),
        args: Vec::new(),
        persistent: true,
    }
}

/// The arguments of SQL whose text is put together at run time (optional
/// filters, lists of ids): [`Args::add`] keeps the value and gives the
/// placeholder to write where it goes.
#[derive(Debug, Clone, Default)]
pub struct Args(Vec<Value>);

impl Args {
    /// Keeps `value`; its placeholder (`$1`, `$2`, …).
    pub fn add(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }

    /// `$a, $b, …` for every value of `values`, for `IN (…)`.
    pub fn list<V: Into<Value>>(&mut self, values: impl IntoIterator<Item = V>) -> String {
        values
            .into_iter()
            .map(|value| self.add(value))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// A statement whose text `text` writes for each dialect in turn.
pub fn query_with(text: impl Fn(Dialect) -> String) -> Statement<'static> {
    query_each(text(Dialect::Sqlite), text(Dialect::Postgres))
}

impl Statement<'_> {
    /// Binds the next argument (`$1`, then `$2`, …).
    pub fn bind(mut self, value: impl Into<Value>) -> Self {
        self.args.push(value.into());
        self
    }

    /// Runs unprepared: planned with its values every time. For queries
    /// whose best plan depends on the values (a search text): a prepared
    /// statement may get PostgreSQL's generic plan after five runs, made
    /// without them (migrations/postgres/SEARCH.md measured p95 104 ms
    /// instead of 18-23 ms at 100,000 people).
    pub fn unprepared(mut self) -> Self {
        self.persistent = false;
        self
    }

    /// Binds `args`, in order, after any bound so far.
    pub fn bind_args(mut self, args: Args) -> Self {
        self.args.extend(args.0);
        self
    }

    /// The text for `dialect`.
    pub fn sql(&self, dialect: Dialect) -> &str {
        match (dialect, &self.postgres) {
            (Dialect::Postgres, Some(postgres)) => postgres,
            _ => &self.sqlite,
        }
    }
}

/// Where a statement runs. Not for use outside this module's callers'
/// [`Exec`] implementations.
#[doc(hidden)]
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    PostgresPool(&'c PgPool),
    SqliteConn(&'c mut SqliteConnection),
    PostgresConn(&'c mut PgConnection),
}

/// Runs `$body` with `$q` built from the statement for the target's
/// dialect (`$make` is `sqlx::query`, `sqlx::query_as::<_, T>`, …) and
/// `$exec` the pool or connection.
macro_rules! run {
    ($target:expr, $statement:expr, |$q:ident, $exec:ident| $make:expr => $body:expr) => {{
        let statement = $statement;
        match $target {
            Target::SqlitePool($exec) => {
                let $q = bind_all($make(statement.sql(Dialect::Sqlite)), &statement);
                $body
            }
            Target::SqliteConn($exec) => {
                let $q = bind_all($make(statement.sql(Dialect::Sqlite)), &statement);
                $body
            }
            Target::PostgresPool($exec) => {
                let $q = bind_all($make(statement.sql(Dialect::Postgres)), &statement);
                $body
            }
            Target::PostgresConn($exec) => {
                let $q = bind_all($make(statement.sql(Dialect::Postgres)), &statement);
                $body
            }
        }
    }};
}

/// Something that binds arguments one at a time (sqlx's query types).
trait Bind<'q>: Sized {
    fn bind_value(self, value: Value) -> Self;
    fn keep(self, persistent: bool) -> Self;
}

impl<'q, DB: sqlx::Database + sqlx::database::HasStatementCache> Bind<'q>
    for sqlx::query::Query<'q, DB, DB::Arguments<'q>>
where
    Value: sqlx::Encode<'q, DB> + Type<DB>,
{
    fn bind_value(self, value: Value) -> Self {
        self.bind(value)
    }

    fn keep(self, persistent: bool) -> Self {
        self.persistent(persistent)
    }
}

impl<'q, DB: sqlx::Database + sqlx::database::HasStatementCache, O> Bind<'q>
    for sqlx::query::QueryAs<'q, DB, O, DB::Arguments<'q>>
where
    Value: sqlx::Encode<'q, DB> + Type<DB>,
{
    fn bind_value(self, value: Value) -> Self {
        self.bind(value)
    }

    fn keep(self, persistent: bool) -> Self {
        self.persistent(persistent)
    }
}

impl<'q, DB: sqlx::Database + sqlx::database::HasStatementCache, O> Bind<'q>
    for sqlx::query::QueryScalar<'q, DB, O, DB::Arguments<'q>>
where
    Value: sqlx::Encode<'q, DB> + Type<DB>,
{
    fn bind_value(self, value: Value) -> Self {
        self.bind(value)
    }

    fn keep(self, persistent: bool) -> Self {
        self.persistent(persistent)
    }
}

fn bind_all<'q, Q: Bind<'q>>(query: Q, statement: &Statement<'_>) -> Q {
    statement
        .args
        .iter()
        .cloned()
        .fold(query, |q, value| q.bind_value(value))
        .keep(statement.persistent)
}

/// Runs statements: `&Db` on the pool, `&mut Tx` inside the transaction.
///
/// (No lifetime parameter on the trait: with one, an `async fn` taking
/// `impl Exec` made every handler awaiting it fail the `Send` check,
/// "implementation of `Exec` is not general enough".)
pub trait Exec: Sized + Send {
    #[doc(hidden)]
    fn target<'c>(self) -> Target<'c>
    where
        Self: 'c;

    /// Runs `statement`; the number of rows it changed.
    fn execute(self, statement: Statement<'_>) -> impl Future<Output = sqlx::Result<u64>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query => q.execute(ex).await.map(|r| r.rows_affected()))
        }
    }

    /// Every row.
    fn fetch_all<T: Record>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<Vec<T>>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_as::<_, T> => q.fetch_all(ex).await)
        }
    }

    /// The first row, if any.
    fn fetch_optional<T: Record>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<Option<T>>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_as::<_, T> => q.fetch_optional(ex).await)
        }
    }

    /// The first row; `RowNotFound` without one.
    fn fetch_one<T: Record>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<T>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_as::<_, T> => q.fetch_one(ex).await)
        }
    }

    /// The first column of the first row; `RowNotFound` without one.
    fn scalar<T: Scalar>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<T>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_scalar::<_, T> => q.fetch_one(ex).await)
        }
    }

    /// The first column of the first row, if there is a row.
    fn optional_scalar<T: Scalar>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<Option<T>>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_scalar::<_, T> => q.fetch_optional(ex).await)
        }
    }

    /// The first column of every row.
    fn scalars<T: Scalar>(
        self,
        statement: Statement<'_>,
    ) -> impl Future<Output = sqlx::Result<Vec<T>>> + Send {
        async move {
            run!(self.target(), statement, |q, ex| sqlx::query_scalar::<_, T> => q.fetch_all(ex).await)
        }
    }
}

impl Exec for &Db {
    fn target<'c>(self) -> Target<'c>
    where
        Self: 'c,
    {
        match &self.pool {
            super::Pool::Sqlite(pool) => Target::SqlitePool(pool),
            super::Pool::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

impl Exec for &mut Tx {
    fn target<'c>(self) -> Target<'c>
    where
        Self: 'c,
    {
        match &mut self.inner {
            TxInner::Sqlite(tx) => Target::SqliteConn(&mut *tx),
            TxInner::Postgres(tx) => Target::PostgresConn(&mut *tx),
        }
    }
}
