//! Digests and the hex spellings people compare by eye: `AA:BB:..` as CUCM and decoders show fingerprints,
//! plain lower-case hex as `openssl md5` prints it.

use md5::{Digest, Md5};
use ring::digest;

const LOWER: &[u8; 16] = b"0123456789abcdef";
const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Lower-case hex without separators, as `openssl md5` and `md5sum` print a digest.
pub fn hex_lower(bytes: &[u8]) -> String {
    hex(bytes, LOWER, None)
}

/// Upper-case hex without separators (openssl's modulus spelling).
pub fn hex_upper(bytes: &[u8]) -> String {
    hex(bytes, UPPER, None)
}

/// Table-driven: modulus lines are formatted for every key in a batch, and `write!` per byte showed in profiles.
fn hex(bytes: &[u8], digits: &[u8; 16], separator: Option<char>) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if let (Some(sep), true) = (separator, i > 0) {
            s.push(sep);
        }
        s.push(digits[(b >> 4) as usize] as char);
        s.push(digits[(b & 0x0f) as usize] as char);
    }
    s
}

/// Upper-case hex pairs joined by colons, as certificate viewers show fingerprints.
pub fn hex_colons_upper(bytes: &[u8]) -> String {
    join_hex(bytes, true)
}

/// Lower-case hex pairs joined by colons, as `openssl x509 -text` shows serials and key identifiers.
pub fn hex_colons_lower(bytes: &[u8]) -> String {
    join_hex(bytes, false)
}

fn join_hex(bytes: &[u8], upper: bool) -> String {
    hex(bytes, if upper { UPPER } else { LOWER }, Some(':'))
}

pub fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

/// SHA-1 through ring (already in the tree for signatures): a fingerprint, not a security decision.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut out = [0; 20];
    out.copy_from_slice(digest::digest(&digest::SHA1_FOR_LEGACY_USE_ONLY, data).as_ref());
    out
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut out = [0; 32];
    out.copy_from_slice(digest::digest(&digest::SHA256, data).as_ref());
    out
}

/// The MD5, SHA-1 and SHA-256 fingerprints of a DER encoding, in `AA:BB:..` form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fingerprints {
    pub md5: String,
    pub sha1: String,
    pub sha256: String,
}

impl Fingerprints {
    pub fn of(der: &[u8]) -> Fingerprints {
        Fingerprints {
            md5: hex_colons_upper(&md5(der)),
            sha1: hex_colons_upper(&sha1(der)),
            sha256: hex_colons_upper(&sha256(der)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md5_of_empty_is_the_well_known_value() {
        assert_eq!(hex_lower(&md5(b"")), "d41d8cd98f00b204e9800998ecf8427e");
    }

    #[test]
    fn colon_forms_pad_each_byte() {
        assert_eq!(hex_colons_upper(&[0x0a, 0xff, 0x00]), "0A:FF:00");
        assert_eq!(hex_colons_lower(&[0x0a, 0xff]), "0a:ff");
        assert_eq!(hex_colons_upper(&[]), "");
    }
}
