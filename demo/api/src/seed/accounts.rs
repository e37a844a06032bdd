//! The three demo accounts, one per role. Their passwords are public on
//! purpose: this is a demo.

use rusqlite::Connection;

use crate::auth::{insert_user, Role};

/// `(name, email, role, password)`.
pub const ACCOUNTS: [(&str, &str, Role, &str); 3] = [
    ("Lourdes Marcelino", "admin@casamarcelino.test", Role::Admin, "admin-password"),
    ("Paolo Dizon", "staff@casamarcelino.test", Role::Staff, "staff-password"),
    ("Camille Reyes", "guest@casamarcelino.test", Role::Guest, "guest-password"),
];

/// Creates the accounts.
pub fn seed(conn: &Connection, now: &str) -> rusqlite::Result<()> {
    for (name, email, role, password) in ACCOUNTS {
        insert_user(conn, name, email, role, password, now)?;
    }
    Ok(())
}
