//! CUCM's and IM and Presence's certificate purposes: their names, key types, trust stores, where their CSRs live
//! and the key usages each needs (the CUCM Security Guide's CSR table; README, "match").

use std::fmt;

use crate::model::extensions::{KeyPurpose, KeyUsageBit};

/// A certificate purpose ("certificate type") of CUCM's certificate management.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    Tomcat,
    TomcatEcdsa,
    CallManager,
    CallManagerEcdsa,
    Ipsec,
    Capf,
    Tvs,
    ItlRecovery,
    /// IM and Presence: Cisco SIP Proxy and Presence Engine.
    Cup,
    CupEcdsa,
    /// IM and Presence: the XCP connection managers, directory and router (XMPP clients).
    CupXmpp,
    CupXmppEcdsa,
    /// IM and Presence: XMPP federation with other domains.
    CupXmppS2s,
    CupXmppS2sEcdsa,
}

/// How the purpose of a check or a plan was decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PurposeSource {
    /// Given with `--purpose`.
    Flag,
    /// Read from the CSR's file name (the name).
    FileName(String),
    /// Read from the leaf certificate; the text says from what and what else it could be.
    Inferred(String),
    Unknown,
}

/// The key type a purpose's CSR carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Rsa,
    Ec,
}

/// Key usage a purpose needs, and how sure the source is.
pub struct Requirements {
    pub key_usage: &'static [KeyUsageBit],
    pub extended_key_usage: &'static [KeyPurpose],
    /// The row is inferred, not read off a source: the ECDSA rows (the guide gives one row for a purpose and its
    /// -ECDSA twin, whose EC key cannot encipher), and the IM and Presence rows, read from a copy of the Security
    /// Guide's table whose empty cells were lost (the filled ones are assumed to be the leftmost, as they are in
    /// every row of the CUCM table that other sources confirm). Said so in messages.
    pub inferred: bool,
    /// CAPF signs phone certificates, so its certificate must be a CA (CA:TRUE, pathlen:0).
    pub needs_ca_basic_constraints: bool,
}

/// What may stand before or after a purpose's name in a file name (or nothing: its start or end): `cucm-pub_tomcat`.
fn word_boundary(c: Option<char>) -> bool {
    c.is_none_or(|c| matches!(c, '-' | '_' | ' ' | '.' | '(' | ')'))
}

const SERVER_KU: &[KeyUsageBit] =
    &[KeyUsageBit::DigitalSignature, KeyUsageBit::KeyEncipherment, KeyUsageBit::DataEncipherment];
/// An EC key signs and agrees on keys; it cannot encipher.
const EC_KU: &[KeyUsageBit] = &[KeyUsageBit::DigitalSignature, KeyUsageBit::KeyAgreement];
const SERVER_EKU: &[KeyPurpose] = &[KeyPurpose::ServerAuth, KeyPurpose::ClientAuth];
const IPSEC_EKU: &[KeyPurpose] = &[KeyPurpose::ServerAuth, KeyPurpose::ClientAuth, KeyPurpose::IpsecEndSystem];

impl Purpose {
    pub const ALL: [Purpose; 14] = [
        Purpose::Tomcat,
        Purpose::TomcatEcdsa,
        Purpose::CallManager,
        Purpose::CallManagerEcdsa,
        Purpose::Ipsec,
        Purpose::Capf,
        Purpose::Tvs,
        Purpose::ItlRecovery,
        Purpose::Cup,
        Purpose::CupEcdsa,
        Purpose::CupXmpp,
        Purpose::CupXmppEcdsa,
        Purpose::CupXmppS2s,
        Purpose::CupXmppS2sEcdsa,
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
            Purpose::Cup => "cup",
            Purpose::CupEcdsa => "cup-ECDSA",
            Purpose::CupXmpp => "cup-xmpp",
            Purpose::CupXmppEcdsa => "cup-xmpp-ECDSA",
            Purpose::CupXmppS2s => "cup-xmpp-s2s",
            Purpose::CupXmppS2sEcdsa => "cup-xmpp-s2s-ECDSA",
        }
    }

    /// The product whose OS Administration takes the upload, for the verdict's words.
    pub fn product(self) -> &'static str {
        if self.im_and_presence() { "IM and Presence" } else { "CUCM" }
    }

    /// An IM and Presence purpose (its certificates live on the IM and Presence nodes).
    pub fn im_and_presence(self) -> bool {
        matches!(
            self,
            Purpose::Cup
                | Purpose::CupEcdsa
                | Purpose::CupXmpp
                | Purpose::CupXmppEcdsa
                | Purpose::CupXmppS2s
                | Purpose::CupXmppS2sEcdsa
        )
    }

    /// Reads a purpose name in any case (`tomcat`, `TOMCAT-ecdsa`, `callmanager`).
    pub fn parse(s: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(s.trim()))
    }

    /// The purpose a CSR's file name says, if any: `tomcat.csr`, `CallManager-ECDSA.csr`, `tomcat-ms.csr`, or a
    /// purpose name as a word of a longer name (`cucm-pub_tomcat.csr`, `ipsec-cucm-sub.csr`).
    pub fn from_file_name(file_name: &str) -> Option<Purpose> {
        // every name found in one pass over the stem, without regard to ASCII case, overlapping ones too; of those on
        // word boundaries the longest wins, so that "tomcat-ECDSA" is not read as "tomcat" (and of two as long, the
        // first in `ALL`). Made once: a batch asks this of every CSR.
        static NAMES: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
        let names = NAMES
            .get_or_init(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build(Purpose::ALL.map(Purpose::name))
                    .ok()
            })
            .as_ref()?;
        let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem);
        names
            .find_overlapping_iter(stem)
            // (the names are ASCII, so a match starts and ends on character boundaries)
            .filter(|m| {
                word_boundary(stem[..m.start()].chars().next_back()) && word_boundary(stem[m.end()..].chars().next())
            })
            .map(|m| (m.len(), std::cmp::Reverse(m.pattern().as_usize())))
            .max()
            .map(|(_, std::cmp::Reverse(i))| Purpose::ALL[i])
    }

    /// A name that ends in -ECDSA takes an EC key, every other an RSA key (CUCM's and IM and Presence's own rule).
    pub fn key_type(self) -> KeyType {
        if self.name().ends_with("-ECDSA") { KeyType::Ec } else { KeyType::Rsa }
    }

    /// The purpose of the same service with the other key type: tomcat <-> tomcat-ECDSA; None where there is
    /// no twin (ipsec, CAPF, TVS, ITLRecovery).
    pub fn twin(self) -> Option<Purpose> {
        let name = self.name();
        let other = match name.strip_suffix("-ECDSA") {
            Some(rsa) => rsa.to_string(),
            None => format!("{name}-ECDSA"),
        };
        Purpose::parse(&other)
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
            Purpose::Cup | Purpose::CupEcdsa => Some("cup-trust"),
            // the IM and Presence guide: cup-xmpp-s2s certificates are verified against cup-xmpp-trust too
            Purpose::CupXmpp | Purpose::CupXmppEcdsa | Purpose::CupXmppS2s | Purpose::CupXmppS2sEcdsa => {
                Some("cup-xmpp-trust")
            }
        }
    }

    /// Where CUCM keeps this purpose's one CSR (generating a new CSR overwrites it). None for the IM and Presence
    /// purposes: no source says where IM and Presence keeps them, and ucert does not guess a path it would quote.
    pub fn csr_path(self) -> Option<String> {
        if self.im_and_presence() {
            return None;
        }
        let name = self.name();
        Some(format!("/usr/local/platform/.security/{}/keys/{name}.csr", name.to_lowercase()))
    }

    /// CUCM's message when no CSR exists for this purpose (None where the text is not known: IM and Presence).
    pub fn csr_missing_message(self) -> Option<String> {
        self.csr_path().map(|path| format!("The file {path} does not exist"))
    }

    /// Whether a multi-server (SAN) certificate exists for this purpose (the Security Guide's CSR table, and the
    /// IM and Presence guide's table of certificate types).
    pub fn multi_server(self) -> bool {
        matches!(
            self,
            Purpose::Tomcat
                | Purpose::TomcatEcdsa
                | Purpose::CallManager
                | Purpose::CallManagerEcdsa
                | Purpose::CupXmpp
                | Purpose::CupXmppEcdsa
                | Purpose::CupXmppS2s
                | Purpose::CupXmppS2sEcdsa
        )
    }

    /// The key usage CUCM's Security Guide lists for the purpose (a fallback: the CSR's own request comes first).
    pub fn requirements(self) -> Requirements {
        let server = |inferred| Requirements {
            key_usage: if inferred { EC_KU } else { SERVER_KU },
            extended_key_usage: SERVER_EKU,
            inferred,
            needs_ca_basic_constraints: false,
        };
        match self {
            Purpose::Tomcat | Purpose::CallManager | Purpose::Tvs => server(false),
            Purpose::TomcatEcdsa | Purpose::CallManagerEcdsa => server(true),
            Purpose::Ipsec => Requirements {
                key_usage: SERVER_KU,
                extended_key_usage: IPSEC_EKU,
                inferred: false,
                needs_ca_basic_constraints: false,
            },
            Purpose::Capf => Requirements {
                key_usage: &[KeyUsageBit::DigitalSignature, KeyUsageBit::KeyCertSign],
                extended_key_usage: &[KeyPurpose::ServerAuth],
                inferred: false,
                needs_ca_basic_constraints: true,
            },
            Purpose::ItlRecovery => Requirements {
                key_usage: &[],
                extended_key_usage: &[],
                inferred: false,
                needs_ca_basic_constraints: false,
            },
            // IM and Presence: seven filled cells (N for multi-server in cup's row) in the damaged copy of the
            // table, read as serverAuth, clientAuth, ipsecEndSystem and the three server key usages, as ipsec's.
            Purpose::Cup | Purpose::CupXmpp | Purpose::CupXmppS2s => Requirements {
                key_usage: SERVER_KU,
                extended_key_usage: IPSEC_EKU,
                inferred: true,
                needs_ca_basic_constraints: false,
            },
            Purpose::CupEcdsa | Purpose::CupXmppEcdsa | Purpose::CupXmppS2sEcdsa => Requirements {
                key_usage: EC_KU,
                extended_key_usage: IPSEC_EKU,
                inferred: true,
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
        // a later occurrence can be the one on word boundaries; ECDSA's twin is not read in its name
        assert_eq!(Purpose::from_file_name("xtomcat_tomcat.csr"), Some(Purpose::Tomcat));
        assert_eq!(Purpose::from_file_name("tomcat-ECDSA-tomcat.csr"), Some(Purpose::TomcatEcdsa));
        assert_eq!(Purpose::from_file_name("Ünï_CAPF (2).csr"), Some(Purpose::Capf));
        assert_eq!(Purpose::from_file_name("capfx_ipsecy.csr"), None);
    }

    /// The one-pass search answers as the rule reads: each name, longest first (then in `ALL`'s order), looked for
    /// in the lower-cased stem, the first found on word boundaries. Over names made of the purposes' names, their
    /// pieces, boundaries, other letters, capitals and non-ASCII.
    #[test]
    fn file_names_are_read_as_the_rule_reads_them() {
        let rule = |file_name: &str| {
            let stem = file_name.rsplit_once('.').map_or(file_name, |(stem, _)| stem).to_ascii_lowercase();
            let boundary = word_boundary;
            let mut names = Purpose::ALL.to_vec();
            names.sort_by_key(|p| std::cmp::Reverse(p.name().len()));
            names.into_iter().find(|p| {
                let name = p.name().to_ascii_lowercase();
                (0..stem.len())
                    .filter(|&i| stem.is_char_boundary(i) && stem[i..].starts_with(&name))
                    .any(|i| boundary(stem[..i].chars().next_back()) && boundary(stem[i + name.len()..].chars().next()))
            })
        };
        let mut parts: Vec<String> = Purpose::ALL.iter().map(|p| p.name().to_string()).collect();
        parts.extend(Purpose::ALL.iter().map(|p| p.name().to_uppercase()));
        parts.extend(["cup-xmpp-s2s-", "-ECDSA", "ECDSA", "tomcat", "x", "é", "Ü", "node-01", "."].map(String::from));
        let separators = ["", "-", "_", " ", ".", "(", ")", "x"];
        let mut checked = 0;
        for a in &parts {
            for b in &parts {
                for sep in separators {
                    for name in [format!("{a}{sep}{b}.csr"), format!("{sep}{a}{sep}{b}"), format!("{a}{b}{sep}.pem")] {
                        assert_eq!(Purpose::from_file_name(&name), rule(&name), "{name}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 20_000, "{checked}");
    }

    #[test]
    fn csr_path_uses_a_lower_case_directory() {
        assert_eq!(
            Purpose::Tomcat.csr_missing_message().as_deref(),
            Some("The file /usr/local/platform/.security/tomcat/keys/tomcat.csr does not exist")
        );
        assert_eq!(
            Purpose::CallManager.csr_path().as_deref(),
            Some("/usr/local/platform/.security/callmanager/keys/CallManager.csr")
        );
        assert_eq!(Purpose::CupXmpp.csr_missing_message(), None);
    }

    #[test]
    fn im_and_presence_purposes_have_their_key_type_and_trust_store() {
        assert_eq!(Purpose::parse("CUP-XMPP-S2S-ecdsa"), Some(Purpose::CupXmppS2sEcdsa));
        assert_eq!(Purpose::CupXmppS2s.key_type(), KeyType::Rsa);
        assert_eq!(Purpose::CupEcdsa.key_type(), KeyType::Ec);
        assert_eq!(Purpose::Cup.trust_store(), Some("cup-trust"));
        assert_eq!(Purpose::CupXmppS2s.trust_store(), Some("cup-xmpp-trust"));
        assert!(Purpose::CupXmpp.multi_server() && !Purpose::Cup.multi_server());
        assert!(Purpose::Cup.requirements().inferred);
        assert_eq!(Purpose::from_file_name("cup-xmpp-s2s.csr"), Some(Purpose::CupXmppS2s));
        assert_eq!(Purpose::from_file_name("imp01_cup-xmpp.csr"), Some(Purpose::CupXmpp));
        assert_eq!(Purpose::from_file_name("cup.csr"), Some(Purpose::Cup));
    }

    #[test]
    fn a_purpose_and_its_twin_differ_only_in_key_type() {
        assert_eq!(Purpose::Tomcat.twin(), Some(Purpose::TomcatEcdsa));
        assert_eq!(Purpose::CupXmppEcdsa.twin(), Some(Purpose::CupXmpp));
        assert_eq!(Purpose::Ipsec.twin(), None);
    }

    #[test]
    fn trust_stores_follow_the_purpose() {
        assert_eq!(Purpose::TomcatEcdsa.trust_store(), Some("tomcat-trust"));
        assert_eq!(Purpose::Capf.trust_store(), Some("CAPF-trust"));
        assert_eq!(Purpose::ItlRecovery.trust_store(), None);
    }
}
