//! Password hashing for the demo accounts.
//!
//! Stored as `sha256$<salt hex>$<hex SHA-256(salt ‖ password)>` with a
//! random 16-byte salt per password. A salted SHA-256 is fast, so it would
//! not hold up against offline guessing if the database leaked; a real
//! deployment would use a deliberately slow hash (argon2id, bcrypt as
//! Laravel does). This demo only ever stores its three seeded accounts.

use sha2::{Digest, Sha256};

const SCHEME: &str = "sha256";

fn digest(salt: &[u8], password: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(password.as_bytes());
    hasher.finalize().into()
}

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the operating system provides random bytes");
    format!("{SCHEME}${}${}", hex::encode(salt), hex::encode(digest(&salt, password)))
}

/// Whether `password` matches `stored` (a value made by [`hash`]); compares
/// in constant time.
pub fn verify(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some(SCHEME), Some(salt), Some(expected), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    let (Ok(salt), Ok(expected)) = (hex::decode(salt), hex::decode(expected)) else {
        return false;
    };
    let actual = digest(&salt, password);
    expected.len() == actual.len() && expected.iter().zip(actual).fold(0u8, |diff, (a, b)| diff | (a ^ b)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_only_the_right_password() {
        let stored = hash("admin-password");
        assert!(verify("admin-password", &stored));
        assert!(!verify("admin-passwore", &stored));
        assert!(!verify("admin-password", "sha256$00$00"));
        assert!(!verify("admin-password", "plain"));
        assert_ne!(hash("admin-password"), stored, "salted");
    }
}
