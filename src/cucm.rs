//! The domain's words in one place: CUCM's certificate purposes, where their CSRs live, the key usages each needs,
//! and the exact texts CUCM shows when an upload fails (see `cucm-messages.md` for their sources).

use std::fmt;

/// "CSR public key and Certificate public key do not match": the leaf's key is not the stored CSR's key.
pub const PUBLIC_KEY_MISMATCH: &str = "CSR public key and Certificate public key do not match";
/// "CSR SAN and Certificate SAN does not match" (sic, confirmed verbatim): the SAN sets differ either way.
pub const SAN_MISMATCH: &str = "CSR SAN and Certificate SAN does not match";
/// The issuer of the uploaded certificate is not in `<purpose>-trust`.
pub const CA_NOT_IN_TRUST_STORE: &str = "CA Certificate not available in Trust-Store";
/// The file is not a certificate CUCM can parse.
pub const READ_ERROR: &str = "Error reading the certificate";
/// Shown by some CUCM versions instead of either the missing-CSR or the public-key message.
pub const DER_NOT_UPLOADED: &str = "The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded.";

/// The largest RSA key CUCM accepts.
pub const MAX_KEY_BITS: u32 = 4096;
/// Below this, CUCM's guide (and every CA today) considers an RSA key weak.
pub const MIN_KEY_BITS: u32 = 2048;

/// A certificate purpose ("certificate type") of CUCM's certificate management.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Purpose {
    #[serde(rename = "tomcat")]
    Tomcat,
    #[serde(rename = "tomcat-ECDSA")]
    TomcatEcdsa,
    #[serde(rename = "CallManager")]
    CallManager,
    #[serde(rename = "CallManager-ECDSA")]
    CallManagerEcdsa,
    #[serde(rename = "ipsec")]
    Ipsec,
    #[serde(rename = "CAPF")]
    Capf,
    #[serde(rename = "TVS")]
    Tvs,
    #[serde(rename = "ITLRecovery")]
    ItlRecovery,
}

/// The key type a purpose's CSR carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ec,
}

/// Key usage a purpose needs, and how sure the source is.
pub struct Requirements {
    pub key_usage: &'static [&'static str],
    pub extended_key_usage: &'static [&'static str],
    /// The ECDSA rows of CUCM's table are inferred, not sourced: said so in messages.
    pub inferred: bool,
    /// CAPF signs phone certificates, so its certificate must be a CA (CA:TRUE, pathlen:0).
    pub needs_ca_basic_constraints: bool,
}

const SERVER_KU: &[&str] = &["digitalSignature", "keyEncipherment", "dataEncipherment"];
const SERVER_EKU: &[&str] = &["serverAuth", "clientAuth"];

impl Purpose {
    pub const ALL: [Purpose; 8] = [
        Purpose::Tomcat,
        Purpose::TomcatEcdsa,
        Purpose::CallManager,
        Purpose::CallManagerEcdsa,
        Purpose::Ipsec,
        Purpose::Capf,
        Purpose::Tvs,
        Purpose::ItlRecovery,
    ];

    /// The name CUCM's pages use.
    pub fn name(self) -> &'static str {
        match self {
            Purpose::Tomcat => "tomcat",
            Purpose::TomcatEcdsa => "tomcat-ECDSA",
            Purpose::CallManager => "CallManager",
            Purpose::CallManagerEcdsa => "CallManager-ECDSA",
            Purpose::Ipsec => "ipsec",
            Purpose::Capf => "CAPF",
            Purpose::Tvs => "TVS",
            Purpose::ItlRecovery => "ITLRecovery",
        }
    }

    /// Reads a purpose name in any case (`tomcat`, `TOMCAT-ecdsa`, `callmanager`).
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }

    /// The purpose a CSR's file name says, if any: `tomcat.csr`, `CallManager-ECDSA.csr`, `tomcat-ms.csr`, or a
    /// purpose name as a word of a longer name (`cucm-pub_tomcat.csr`, `ipsec-cucm-sub.csr`).
    pub fn from_file_name(file_name: &str) -> Option<Purpose> {
        let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem).to_ascii_lowercase();
        // longest first, so that "tomcat-ECDSA" is not read as "tomcat"
        let mut by_length = Purpose::ALL;
        by_length.sort_by_key(|p| std::cmp::Reverse(p.name().len()));
        let boundary = |c: Option<char>| c.is_none_or(|c| matches!(c, '-' | '_' | ' ' | '.' | '(' | ')'));
        by_length.into_iter().find(|p| {
            let name = p.name().to_ascii_lowercase();
            stem.match_indices(&name).any(|(i, _)| {
                let before = stem[..i].chars().next_back();
                let after = stem[i + name.len()..].chars().next();
                boundary(before) && boundary(after)
            })
        })
    }

    pub fn key_type(self) -> KeyType {
        match self {
            Purpose::TomcatEcdsa | Purpose::CallManagerEcdsa => KeyType::Ec,
            _ => KeyType::Rsa,
        }
    }

    /// The trust store its CA certificates go to before the leaf is uploaded; ITLRecovery has none.
    pub fn trust_store(self) -> Option<&'static str> {
        match self {
            Purpose::Tomcat | Purpose::TomcatEcdsa => Some("tomcat-trust"),
            Purpose::CallManager | Purpose::CallManagerEcdsa => Some("CallManager-trust"),
            Purpose::Ipsec => Some("ipsec-trust"),
            Purpose::Capf => Some("CAPF-trust"),
            Purpose::Tvs => Some("TVS-trust"),
            Purpose::ItlRecovery => None,
        }
    }

    /// Where CUCM keeps this purpose's one CSR (generating a new CSR overwrites it).
    pub fn csr_path(self) -> String {
        let name = self.name();
        format!("/usr/local/platform/.security/{}/keys/{name}.csr", name.to_lowercase())
    }

    /// CUCM's message when no CSR exists for this purpose.
    pub fn csr_missing_message(self) -> String {
        format!("The file {} does not exist", self.csr_path())
    }

    /// Whether a multi-server (SAN) certificate exists for this purpose.
    pub fn multi_server(self) -> bool {
        matches!(self, Purpose::Tomcat | Purpose::TomcatEcdsa | Purpose::CallManager | Purpose::CallManagerEcdsa)
    }

    /// The key usage CUCM's Security Guide lists for the purpose (a fallback: the CSR's own request comes first).
    pub fn requirements(self) -> Requirements {
        let server = |inferred| Requirements {
            key_usage: if inferred { &["digitalSignature", "keyAgreement"] } else { SERVER_KU },
            extended_key_usage: SERVER_EKU,
            inferred,
            needs_ca_basic_constraints: false,
        };
        match self {
            Purpose::Tomcat | Purpose::CallManager | Purpose::Tvs => server(false),
            Purpose::TomcatEcdsa | Purpose::CallManagerEcdsa => server(true),
            Purpose::Ipsec => Requirements {
                key_usage: SERVER_KU,
                extended_key_usage: &["serverAuth", "clientAuth", "ipsecEndSystem"],
                inferred: false,
                needs_ca_basic_constraints: false,
            },
            Purpose::Capf => Requirements {
                key_usage: &["digitalSignature", "keyCertSign"],
                extended_key_usage: &["serverAuth"],
                inferred: false,
                needs_ca_basic_constraints: true,
            },
            Purpose::ItlRecovery => Requirements {
                key_usage: &[],
                extended_key_usage: &[],
                inferred: false,
                needs_ca_basic_constraints: false,
            },
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_parse_in_any_case() {
        assert_eq!(Purpose::parse("TOMCAT-ecdsa"), Some(Purpose::TomcatEcdsa));
        assert_eq!(Purpose::parse("callmanager"), Some(Purpose::CallManager));
        assert_eq!(Purpose::parse("web"), None);
    }

    #[test]
    fn purpose_is_inferred_from_csr_file_names() {
        assert_eq!(Purpose::from_file_name("tomcat.csr"), Some(Purpose::Tomcat));
        assert_eq!(Purpose::from_file_name("CallManager-ECDSA.csr"), Some(Purpose::CallManagerEcdsa));
        assert_eq!(Purpose::from_file_name("tomcat-ms.csr"), Some(Purpose::Tomcat));
        assert_eq!(Purpose::from_file_name("certnew.cer"), None);
        assert_eq!(Purpose::from_file_name("cucm-pub_tomcat.csr"), Some(Purpose::Tomcat));
        assert_eq!(Purpose::from_file_name("cucm-sub-CallManager-ECDSA.csr"), Some(Purpose::CallManagerEcdsa));
        assert_eq!(Purpose::from_file_name("ipsec-cucm-sub.csr"), Some(Purpose::Ipsec));
        assert_eq!(Purpose::from_file_name("tomcatx.csr"), None);
        assert_eq!(Purpose::from_file_name("cucm-pub.example.com_TVS.csr"), Some(Purpose::Tvs));
    }

    #[test]
    fn csr_path_uses_a_lower_case_directory() {
        assert_eq!(
            Purpose::Tomcat.csr_missing_message(),
            "The file /usr/local/platform/.security/tomcat/keys/tomcat.csr does not exist"
        );
        assert_eq!(Purpose::CallManager.csr_path(), "/usr/local/platform/.security/callmanager/keys/CallManager.csr");
    }

    #[test]
    fn trust_stores_follow_the_purpose() {
        assert_eq!(Purpose::TomcatEcdsa.trust_store(), Some("tomcat-trust"));
        assert_eq!(Purpose::Capf.trust_store(), Some("CAPF-trust"));
        assert_eq!(Purpose::ItlRecovery.trust_store(), None);
    }
}
