//! Booking references: `CMR-` and five characters from an alphabet without
//! look-alikes (no 0/O, 1/I), easy to read out over the phone.

/// The prefix every reference starts with (Casa Marcelino Resort).
pub const PREFIX: &str = "CMR-";

/// 32 symbols, so each random byte maps onto one without bias.
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A fresh random reference, e.g. `CMR-7K3Q9`.
pub fn generate() -> String {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).expect("the operating system provides random bytes");
    let code: String = bytes.iter().map(|byte| char::from(ALPHABET[usize::from(byte % 32)])).collect();
    format!("{PREFIX}{code}")
}

/// `raw` normalized for lookup (trimmed, upper-case), if it has the shape of
/// a reference.
pub fn normalize(raw: &str) -> Option<String> {
    let upper = raw.trim().to_ascii_uppercase();
    let code = upper.strip_prefix(PREFIX)?;
    (code.len() == 5 && code.bytes().all(|byte| ALPHABET.contains(&byte))).then_some(upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_references_normalize_to_themselves() {
        for _ in 0..100 {
            let reference = generate();
            assert_eq!(normalize(&reference.to_lowercase()).as_deref(), Some(reference.as_str()));
        }
        assert_eq!(normalize("CMR-0O1I0"), None);
        assert_eq!(normalize("CMR-ABC"), None);
    }
}
