//! `key-size`: RSA under 2048 bits warns; over 4096 bits fails (the largest key CUCM accepts). CA keys of 4096
//! bits or more warn too: in mixed mode some phones do not accept them.

use super::{CheckId, Finding, Pair};
use crate::cucm::{KeyType, MAX_KEY_BITS, MIN_KEY_BITS, Purpose};
use crate::model::{Certificate, PublicKey};

pub fn check(pair: &Pair<'_>) -> Finding {
    judge(&pair.certificate.public_key, pair.purpose, pair.cas)
}

/// The check on what it reads: the certificate's key, the purpose and the CA certificates at hand.
fn judge(key: &PublicKey, purpose: Option<Purpose>, cas: &[Certificate]) -> Finding {
    match key_type_mismatch(key, purpose) {
        Some(wrong) => wrong,
        None => size(key, cas),
    }
}

/// The key's type as purposes name them: None for a key neither RSA nor EC.
pub(super) fn key_type(key: &PublicKey) -> Option<KeyType> {
    if key.is_ec() {
        Some(KeyType::Ec)
    } else if key.is_rsa() {
        Some(KeyType::Rsa)
    } else {
        None
    }
}

/// A key of this type fits the purpose (any key fits when no purpose is known).
pub(super) fn fits(key_type: Option<KeyType>, purpose: Option<Purpose>) -> bool {
    purpose.is_none_or(|p| key_type == Some(p.key_type()))
}

/// The check of a key whose type fits the purpose: its size, and the CA keys'. A batch runs it as it reads the
/// certificate, with no CA certificate at hand, and keeps [`key_type`] for the purpose (see [`super::facts`]).
pub(super) fn size(key: &PublicKey, cas: &[Certificate]) -> Finding {
    let Some(bits) = rsa_bits(key) else {
        return Finding::pass(CheckId::KeySize, format!("{} (no RSA size limits apply)", key.summary()));
    };
    if bits > MAX_KEY_BITS {
        return Finding::fail(
            CheckId::KeySize,
            format!("an RSA key of {bits} bits: CUCM accepts keys of at most {MAX_KEY_BITS} bits"),
        )
        .cause("the CSR was generated with a key longer than CUCM supports")
        .remedy(format!(
            "generate the CSR in CUCM with a key of {MAX_KEY_BITS} bits or less (2048 is usual) and have it signed"
        ));
    }
    let big_cas: Vec<String> = cas
        .iter()
        .filter(|ca| ca.public_key.is_rsa() && ca.public_key.bits().is_some_and(|b| b >= 4096))
        .map(|ca| format!("{} ({} bits)", ca.display_name(), ca.public_key.bits().unwrap_or(0)))
        .collect();
    if bits < MIN_KEY_BITS {
        return Finding::warn(
            CheckId::KeySize,
            format!("an RSA key of {bits} bits, below the {MIN_KEY_BITS} bits CUCM's guide asks for"),
        )
        .remedy(format!("generate the next CSR with a key of {MIN_KEY_BITS} bits"));
    }
    if !big_cas.is_empty() {
        return Finding::warn(
            CheckId::KeySize,
            format!("RSA {bits} bits; CA keys of 4096 bits or more: {}", big_cas.join(", ")),
        )
        .evidence(
            "CUCM's guide: in mixed mode some phones do not accept CA certificates with keys of 4096 bits or more",
        );
    }
    Finding::pass(CheckId::KeySize, format!("RSA {bits} bits, within CUCM's {MIN_KEY_BITS}..{MAX_KEY_BITS}"))
}

/// True exactly when [`size`] passes with no CA certificate at hand, without its words: a batch asks it of every
/// certificate it reads.
pub(super) fn size_passes_alone(key: &PublicKey) -> bool {
    rsa_bits(key).is_none_or(|bits| (MIN_KEY_BITS..=MAX_KEY_BITS).contains(&bits))
}

/// An RSA key's size, the only one CUCM's limits speak of.
fn rsa_bits(key: &PublicKey) -> Option<u32> {
    key.bits().filter(|_| key.is_rsa())
}

/// A `-ECDSA` purpose takes an EC key and every other purpose an RSA key (the note on CUCM's Generate CSR page): a
/// certificate of the other type is refused for that purpose, whatever else matches.
fn key_type_mismatch(key: &PublicKey, purpose: Option<Purpose>) -> Option<Finding> {
    let purpose = purpose?;
    if fits(key_type(key), Some(purpose)) {
        return None;
    }
    let wanted = match purpose.key_type() {
        KeyType::Ec => "an EC key",
        KeyType::Rsa => "an RSA key",
    };
    let mut finding = Finding::fail(
        CheckId::KeySize,
        format!("the purpose {} takes {wanted}; this certificate has {}", purpose.name(), key.summary()),
    )
    .cause(format!(
        "the wrong purpose was chosen (a -ECDSA purpose takes an EC key, the others an RSA key), or the CSR file \
         was renamed: {} was read from --purpose or the file name",
        purpose.name()
    ));
    if let Some(other) = purpose.twin() {
        finding = finding.remedy(format!("upload it as {other}, the purpose its key type fits (--purpose {other})"));
    }
    Some(finding.remedy(format!("for {}, generate a CSR of that purpose in CUCM and have it signed", purpose.name())))
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    fn run(csr_file: &str, cert_file: &str) -> Finding {
        check_pair(check, csr_file, cert_file, None, at())
    }

    #[test]
    fn sizes_pass_warn_and_fail() {
        assert_eq!(run("cucm/tomcat.csr", "cucm/tomcat.pem").status, Status::Pass);
        let small = run("match/small-key.csr", "match/small-key.pem");
        assert_eq!(small.status, Status::Warn);
        assert!(small.message.contains("1024 bits"));
        let big = run("match/big-key.csr", "match/big-key.pem");
        assert_eq!(big.status, Status::Fail);
        assert!(big.message.contains("4608 bits"));
        assert_eq!(run("cucm/tomcat-ECDSA.csr", "cucm/tomcat-ECDSA.pem").status, Status::Pass);
    }
}
