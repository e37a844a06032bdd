//! SQL for accounts.

use rusqlite::{params, Connection, OptionalExtension};

use super::{password, Role, User};

/// The account with `email` (any case) if `plain` is its password.
pub fn find_by_credentials(conn: &Connection, email: &str, plain: &str) -> rusqlite::Result<Option<User>> {
    let found = conn
        .query_row(
            "SELECT id, name, email, role, password_hash FROM users WHERE email = ?1",
            [email.trim().to_lowercase()],
            |row| {
                let user = User {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    email: row.get(2)?,
                    role: row.get(3)?,
                };
                Ok((user, row.get::<_, String>(4)?))
            },
        )
        .optional()?;
    Ok(found.and_then(|(user, hash)| password::verify(plain, &hash).then_some(user)))
}

/// Creates an account with a freshly hashed password.
pub fn insert(conn: &Connection, name: &str, email: &str, role: Role, plain: &str, now: &str) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO users (name, email, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, email.to_lowercase(), role, password::hash(plain), now],
    )?;
    Ok(conn.last_insert_rowid())
}
