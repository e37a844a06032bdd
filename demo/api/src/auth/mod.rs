//! Accounts and API tokens, in the manner of Laravel Sanctum's personal
//! access tokens: `POST /api/login` trades an e-mail and password for a
//! random token, which the client then sends as `Authorization: Bearer
//! <token>` (to the API and to `/broadcasting/auth`) until it logs out.
//! Sanctum's SPA cookie sign-in works too (`cookies`): `POST /login` keeps
//! the token in an `HttpOnly` session cookie instead.

pub mod cookies;
mod extract;
pub mod password;
pub mod tokens;
mod users;

use std::{fmt, str::FromStr};

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::Serialize;

pub use extract::{authenticate, bearer_token, SignedIn, Staff};
pub use users::{find_by_credentials, insert as insert_user};

/// What an account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Runs the resort: every admin route and the admin dashboard channel.
    Admin,
    /// Front desk: the same access as an admin in this demo.
    Staff,
    /// A signed-in guest: presence and encrypted channels only.
    Guest,
}

impl Role {
    /// The lower-case name used in JSON and the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Staff => "staff",
            Self::Guest => "guest",
        }
    }

    /// Whether the role may use the admin side (`admin` or `staff`).
    pub const fn is_staff(self) -> bool {
        matches!(self, Self::Admin | Self::Staff)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = ();

    fn from_str(value: &str) -> Result<Self, ()> {
        [Self::Admin, Self::Staff, Self::Guest]
            .into_iter()
            .find(|role| role.as_str() == value)
            .ok_or(())
    }
}

impl ToSql for Role {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Role {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        value.as_str()?.parse().map_err(|()| FromSqlError::InvalidType)
    }
}

/// An account, serialized as the API's JSON (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// Primary key; the `user_id` of presence channel members.
    pub id: i64,
    /// Display name.
    pub name: String,
    /// Sign-in e-mail address, lower-case.
    pub email: String,
    /// What the account may do.
    pub role: Role,
}
