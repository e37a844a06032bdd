//! Base64 decoding of encrypted channels' keys, ciphertexts and nonces: the
//! standard alphabet, padded or not, as the `base64` crate's `STANDARD`
//! engine decodes it (trailing bits must be zero). About forty lines instead
//! of that crate's general engine, which costs kilobytes of wasm.

/// The value of a base64 symbol.
fn symbol(byte: u8) -> Option<u32> {
    let value = match byte {
        b'A'..=b'Z' => byte - b'A',
        b'a'..=b'z' => byte - b'a' + 26,
        b'0'..=b'9' => byte - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes `text` (standard alphabet, with or without `=` padding); `None`
/// when it is not canonical base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let unpadded = bytes.strip_suffix(b"==").or_else(|| bytes.strip_suffix(b"=")).unwrap_or(bytes);
    let padded = unpadded.len() != bytes.len();
    // A lone symbol holds no whole byte; padding, when there is any, must
    // complete a partial group to four symbols.
    if unpadded.len() % 4 == 1 || (padded && (unpadded.len() % 4 == 0 || bytes.len() % 4 != 0)) {
        return None;
    }
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    for group in unpadded.chunks(4) {
        let mut bits = 0u32;
        for &byte in group {
            bits = bits << 6 | symbol(byte)?;
        }
        // 4 symbols: 3 bytes; 3 symbols: 2 bytes and 2 spare bits; 2: 1 and 4.
        let spare = 6 * group.len() % 8;
        if bits & ((1 << spare) - 1) != 0 {
            return None;
        }
        let bits = bits >> spare;
        let len = group.len() * 6 / 8;
        out.extend_from_slice(&bits.to_be_bytes()[4 - len..]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode;
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine as _;

    #[test]
    fn decodes_as_the_base64_crate_does() {
        for len in 0..40u8 {
            let data: Vec<u8> = (0..len).map(|i| i.wrapping_mul(97).wrapping_add(len)).collect();
            let padded = STANDARD.encode(&data);
            assert_eq!(decode(&padded), Some(data.clone()), "{padded}");
            let unpadded = padded.trim_end_matches('=');
            assert_eq!(decode(unpadded), Some(data), "{unpadded}");
        }
        for bad in ["A", "AB=C", "AB=", "AQ===", "====", "AAAA=", "AAA*", "YR==", "YWJ=", " QUJD", "QUJD\n", "Q", "QUJDR"] {
            assert_eq!(decode(bad), STANDARD.decode(bad).ok(), "{bad:?}");
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        // Padding is optional, but complete when present (the crate's `Indifferent` mode).
        for odd in ["AA=", "AAA=", "AA==", "AAA==", "AAAA", "AAAAAA=", "AAAAAA==", "AAAA====", "+/+/", "-_-_", ""] {
            assert_eq!(decode(odd), STANDARD.decode(odd).ok(), "{odd:?}");
        }
    }
}
