//! Messages from the public contact form; each one is announced to the
//! admin dashboard through `ContactFormSubmitted`.

use rusqlite::{params, Connection, Row};
use serde::{Deserialize, Serialize};

use crate::validation::{ValidationErrors, Validator};

/// A stored message, serialized as the API's JSON.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContactMessage {
    /// Primary key.
    pub id: i64,
    /// Sender's name.
    pub name: String,
    /// Sender's e-mail address, lower-case.
    pub email: String,
    /// Subject line.
    pub subject: String,
    /// The message.
    pub message: String,
    /// When it arrived, RFC 3339 UTC.
    pub created_at: String,
}

/// The JSON body of `POST /api/contact`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Sender's name, up to 80 characters.
    pub name: Option<String>,
    /// Sender's e-mail address.
    pub email: Option<String>,
    /// Subject, up to 150 characters.
    pub subject: Option<String>,
    /// Message, up to 5000 characters.
    pub message: Option<String>,
}

/// A message that passed validation: `(name, email, subject, message)`.
pub type ValidContact = (String, String, String, String);

impl ContactInput {
    /// Checks every rule and returns all failures at once.
    pub fn validate(self) -> Result<ValidContact, ValidationErrors> {
        let mut v = Validator::new();
        let name = v.required_text("name", self.name, 80);
        let email = v.email("email", self.email);
        let subject = v.required_text("subject", self.subject, 150);
        let message = v.required_text("message", self.message, 5000);
        v.finish(|| {
            (
                name.unwrap_or_default(),
                email.unwrap_or_default(),
                subject.unwrap_or_default(),
                message.unwrap_or_default(),
            )
        })
    }
}

const COLUMNS: &str = "id, name, email, subject, message, created_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<ContactMessage> {
    Ok(ContactMessage {
        id: row.get(0)?,
        name: row.get(1)?,
        email: row.get(2)?,
        subject: row.get(3)?,
        message: row.get(4)?,
        created_at: row.get(5)?,
    })
}

/// Stores a message and returns it.
pub fn insert(conn: &mut Connection, (name, email, subject, message): &ValidContact, now: &str) -> rusqlite::Result<ContactMessage> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO contact_messages (name, email, subject, message, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, email, subject, message, now],
    )?;
    let id = tx.last_insert_rowid();
    let stored = tx.query_row(&format!("SELECT {COLUMNS} FROM contact_messages WHERE id = ?1"), [id], from_row)?;
    tx.commit()?;
    Ok(stored)
}

/// Every message, newest first.
pub fn list(conn: &Connection) -> rusqlite::Result<Vec<ContactMessage>> {
    let mut statement = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM contact_messages ORDER BY created_at DESC, id DESC"))?;
    let messages = statement.query_map([], from_row)?;
    messages.collect()
}
