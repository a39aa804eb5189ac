//! What a certificate looks like: a CA, or the leaf of which purpose (as far as a certificate alone can tell).

use crate::cucm::Purpose;
use crate::model::Certificate;
use crate::model::extensions::{KeyPurpose, KeyUsageBit};
use crate::untrusted::Untrusted;

/// A CA certificate in the sense of an issuer (CA:TRUE, may sign, not a TLS server): CAPF's certificate is a
/// CA but a leaf.
pub fn looks_like_ca(cert: &Certificate) -> bool {
    let ext = &cert.extensions;
    let signs = ext.key_usage.as_ref().is_none_or(|ku| ku.has(KeyUsageBit::KeyCertSign));
    let server = ext.extended_key_usage.as_ref().is_some_and(|e| e.has(KeyPurpose::ServerAuth));
    cert.is_ca() && signs && !server
}

/// The purpose a leaf certificate looks like, and why.
pub fn infer_purpose(leaf: &Certificate) -> Option<(Purpose, String)> {
    let ext = &leaf.extensions;
    let eku = ext.extended_key_usage.as_ref();
    let cert_sign = ext.key_usage.as_ref().is_some_and(|ku| ku.has(KeyUsageBit::KeyCertSign));
    let cn = leaf.subject.common_name().map(Untrusted::raw).unwrap_or("").to_ascii_lowercase();
    if cn.starts_with("capf") || (leaf.is_ca() && cert_sign && eku.is_some_and(|e| e.has(KeyPurpose::ServerAuth))) {
        return Some((Purpose::Capf, "a CA certificate with Certificate Sign and serverAuth, as CAPF's".into()));
    }
    if eku.is_some_and(|e| e.lists(KeyPurpose::IpsecEndSystem)) {
        return Some((
            Purpose::Ipsec,
            "its extended key usage ipsecEndSystem (IM and Presence's cup certificates may carry it too)".into(),
        ));
    }
    if leaf.public_key.is_ec() {
        return Some((Purpose::TomcatEcdsa, "its EC key (CallManager-ECDSA certificates look the same)".into()));
    }
    if leaf.public_key.is_rsa() && eku.is_none_or(|e| e.has(KeyPurpose::ServerAuth)) {
        return Some((
            Purpose::Tomcat,
            "its RSA key and serverAuth usage (CallManager and TVS certificates look the same)".into(),
        ));
    }
    None
}
