//! Digests and the hex spellings people compare by eye: `AA:BB:..` as CUCM and decoders show fingerprints,
//! plain lower-case hex as `openssl md5` prints it.

use md5::Md5;
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Lower-case hex without separators, as `openssl md5` and `md5sum` print a digest.
pub fn hex_lower(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
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
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = if upper { write!(s, "{b:02X}") } else { write!(s, "{b:02x}") };
    }
    s
}

pub fn md5(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

pub fn sha1(data: &[u8]) -> [u8; 20] {
    Sha1::digest(data).into()
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

/// The MD5, SHA-1 and SHA-256 fingerprints of a DER encoding, in `AA:BB:..` form.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
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
