//! [`Value`]: one bound argument that either driver can encode, so a
//! statement's arguments are collected once and bound to whichever database
//! runs it.
//!
//! Each variant keeps its type even when it is NULL: PostgreSQL types every
//! parameter, and a NULL with the wrong type fails (`$1 IS NULL` of an
//! untyped NULL compared with a BIGINT column, say). The encoders delegate
//! to sqlx's own encoders for the inner type.

use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgTypeInfo};
use sqlx::sqlite::{SqliteArgumentValue, SqliteTypeInfo};
use sqlx::{Encode, Postgres, Sqlite, Type};

/// A bound argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Float(Option<f64>),
    Bytes(Option<Vec<u8>>),
    /// Only sessions' expiry dates (copying a database) are times: the rest
    /// of the schema keeps Unix milliseconds in integers.
    Time(Option<time::OffsetDateTime>),
}

macro_rules! from_scalar {
    ($variant:ident, $($t:ty => $conv:expr),+ $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Value::$variant(Some(($conv)(v)))
            }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self {
                #[allow(clippy::redundant_closure_call)]
                Value::$variant(v.map($conv))
            }
        }
    )+};
}

from_scalar!(Int, i64 => |v| v, i32 => i64::from, u32 => i64::from);
from_scalar!(Text, String => |v| v, &str => str::to_owned, &String => String::clone);
from_scalar!(Bool, bool => |v| v);
from_scalar!(Float, f64 => |v| v);
from_scalar!(Bytes, Vec<u8> => |v| v);
from_scalar!(Time, time::OffsetDateTime => |v| v);

impl From<&Option<String>> for Value {
    fn from(v: &Option<String>) -> Self {
        Value::Text(v.clone())
    }
}

/// Encodes the value with the driver's own encoder for its type, or says NULL.
macro_rules! encode_each {
    ($self:ident, $buf:ident, $db:ty) => {
        match $self {
            Value::Int(Some(v)) => <i64 as Encode<'_, $db>>::encode_by_ref(v, $buf),
            Value::Text(Some(v)) => <String as Encode<'_, $db>>::encode_by_ref(v, $buf),
            Value::Bool(Some(v)) => <bool as Encode<'_, $db>>::encode_by_ref(v, $buf),
            Value::Float(Some(v)) => <f64 as Encode<'_, $db>>::encode_by_ref(v, $buf),
            Value::Bytes(Some(v)) => <Vec<u8> as Encode<'_, $db>>::encode_by_ref(v, $buf),
            Value::Time(Some(v)) => {
                <time::OffsetDateTime as Encode<'_, $db>>::encode_by_ref(v, $buf)
            }
            Value::Int(None)
            | Value::Text(None)
            | Value::Bool(None)
            | Value::Float(None)
            | Value::Bytes(None)
            | Value::Time(None) => Ok(IsNull::Yes),
        }
    };
}

impl<'q> Encode<'q, Sqlite> for Value {
    fn encode_by_ref(&self, buf: &mut Vec<SqliteArgumentValue<'q>>) -> Result<IsNull, BoxDynError> {
        // On `IsNull::Yes` sqlx pushes the NULL itself.
        encode_each!(self, buf, Sqlite)
    }

    fn produces(&self) -> Option<SqliteTypeInfo> {
        Some(match self {
            Value::Int(_) => <i64 as Type<Sqlite>>::type_info(),
            Value::Text(_) => <String as Type<Sqlite>>::type_info(),
            Value::Bool(_) => <bool as Type<Sqlite>>::type_info(),
            Value::Float(_) => <f64 as Type<Sqlite>>::type_info(),
            Value::Bytes(_) => <Vec<u8> as Type<Sqlite>>::type_info(),
            Value::Time(_) => <time::OffsetDateTime as Type<Sqlite>>::type_info(),
        })
    }
}

impl Type<Sqlite> for Value {
    fn type_info() -> SqliteTypeInfo {
        // Never consulted for binding: `produces` names each value's type.
        <String as Type<Sqlite>>::type_info()
    }
}

impl Encode<'_, Postgres> for Value {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        encode_each!(self, buf, Postgres)
    }

    /// The parameter's type as PostgreSQL is told it, NULL or not
    /// (`PgArguments::add` asks this before `type_info`).
    fn produces(&self) -> Option<PgTypeInfo> {
        Some(match self {
            Value::Int(_) => <i64 as Type<Postgres>>::type_info(),
            Value::Text(_) => <String as Type<Postgres>>::type_info(),
            Value::Bool(_) => <bool as Type<Postgres>>::type_info(),
            Value::Float(_) => <f64 as Type<Postgres>>::type_info(),
            Value::Bytes(_) => <Vec<u8> as Type<Postgres>>::type_info(),
            Value::Time(_) => <time::OffsetDateTime as Type<Postgres>>::type_info(),
        })
    }
}

impl Type<Postgres> for Value {
    fn type_info() -> PgTypeInfo {
        // Never consulted: `produces` always answers.
        <String as Type<Postgres>>::type_info()
    }
}
