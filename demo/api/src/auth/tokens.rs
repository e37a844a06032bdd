//! API tokens: 40 random URL-safe characters handed to the client once.
//! Only their SHA-256 is stored (as Sanctum does), so a leaked database
//! does not leak usable tokens.

use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use super::User;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Length of a token, in characters (240 random bits).
pub const TOKEN_CHARS: usize = 40;

/// A fresh random token.
pub fn generate() -> String {
    let mut bytes = [0u8; TOKEN_CHARS];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    bytes.iter().map(|byte| char::from(ALPHABET[usize::from(byte % 64)])).collect()
}

/// What is stored for `token`: its lower-case hex SHA-256.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Stores a new token for `user_id` and returns its plain text.
pub fn issue(conn: &Connection, user_id: i64, now: &str) -> rusqlite::Result<String> {
    let token = generate();
    conn.execute(
        "INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?1, ?2, ?3)",
        params![digest(&token), user_id, now],
    )?;
    Ok(token)
}

/// The user `token` belongs to, if it is a live token.
pub fn user_for(conn: &Connection, token: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        "SELECT u.id, u.name, u.email, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?1",
        [digest(token)],
        |row| {
            Ok(User {
                id: row.get(0)?,
                name: row.get(1)?,
                email: row.get(2)?,
                role: row.get(3)?,
            })
        },
    )
    .optional()
}

/// Deletes `token`; `false` if it was not live.
pub fn revoke(conn: &Connection, token: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM api_tokens WHERE token_hash = ?1", [digest(token)])? > 0)
}
