//! Does a certificate name the host it was fetched from? Judged as curl (OpenSSL) judges it: DNS names against the
//! subjectAltName's DNS entries (a wildcard covers one left-most label), IP addresses against its IP entries, and
//! the CN only when there is no SAN entry of the host's type. A mismatch is described in curl's own words (its
//! error 51).

use std::net::IpAddr;

use crate::model::Certificate;
use crate::model::extensions::SanEntry;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostMatch {
    /// The host is named; `by` says by which entry (`DNS:cucm-pub.example.com`, `CN=...`).
    Matches { by: String },
    /// The host is not named; `curl` is the message curl prints (error 51).
    Mismatch { curl: String },
}

pub fn check(cert: &Certificate, host: &str) -> HostMatch {
    let sans = cert.extensions.subject_alt_names.as_deref().unwrap_or(&[]);
    // curl looks only at SAN entries of the target's type; with none of that type it falls back to the CN
    let of_type: Vec<&SanEntry> = match host.parse::<IpAddr>() {
        Ok(ip) => {
            let ips: Vec<&SanEntry> = sans.iter().filter(|e| matches!(e, SanEntry::Ip(_))).collect();
            if let Some(e) = ips.iter().find(|e| matches!(e, SanEntry::Ip(a) if *a == ip)) {
                return HostMatch::Matches { by: e.to_string() };
            }
            ips
        }
        Err(_) => {
            let dns: Vec<&SanEntry> = sans.iter().filter(|e| matches!(e, SanEntry::Dns(_))).collect();
            if let Some(e) = dns.iter().find(|e| matches!(e, SanEntry::Dns(d) if name_matches(d, host))) {
                return HostMatch::Matches { by: e.to_string() };
            }
            dns
        }
    };
    if !of_type.is_empty() {
        return HostMatch::Mismatch {
            curl: format!("SSL: no alternative certificate subject name matches target host name '{host}'"),
        };
    }
    match cert.subject.attributes().filter(|a| a.name == "CN").last() {
        Some(cn) if name_matches(cn.value.raw(), host) => HostMatch::Matches { by: format!("CN={}", cn.value) },
        Some(cn) => HostMatch::Mismatch {
            curl: format!("SSL: certificate subject name '{}' does not match target host name '{host}'", cn.value),
        },
        None => HostMatch::Mismatch { curl: "SSL: unable to obtain common name from peer certificate".into() },
    }
}

/// RFC 6125 matching: no case, a trailing dot ignored, `*` only as the whole left-most label.
fn name_matches(pattern: &str, host: &str) -> bool {
    let p = pattern.trim_end_matches('.').to_ascii_lowercase();
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    match p.strip_prefix("*.") {
        Some(rest) => {
            h.split_once('.').is_some_and(|(first, tail)| !first.is_empty() && tail == rest && rest.contains('.'))
        }
        None => p == h,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::cert;

    #[test]
    fn wildcards_cover_exactly_one_label() {
        assert!(name_matches("*.example.com", "cucm.example.com"));
        assert!(!name_matches("*.example.com", "example.com"));
        assert!(!name_matches("*.example.com", "a.b.example.com"));
        assert!(!name_matches("*.com", "example.com"));
        assert!(name_matches("CUCM-Pub.example.com.", "cucm-pub.example.com"));
    }

    #[test]
    fn sans_decide_and_a_mismatch_reads_like_curl() {
        let c = cert("cucm/tomcat.pem");
        assert!(matches!(check(&c, "cucm-pub"), HostMatch::Matches { .. }));
        assert_eq!(check(&c, "cucm-pub.example.com"), HostMatch::Matches { by: "DNS:cucm-pub.example.com".into() });
        let HostMatch::Mismatch { curl } = check(&c, "cucm-sub.example.com") else { panic!() };
        assert_eq!(
            curl,
            "SSL: no alternative certificate subject name matches target host name 'cucm-sub.example.com'"
        );
        // no IP SAN at all: curl compares the CN with the address
        let HostMatch::Mismatch { curl } = check(&c, "127.0.0.1") else { panic!() };
        assert_eq!(
            curl,
            "SSL: certificate subject name 'cucm-pub.example.com' does not match target host name '127.0.0.1'"
        );
    }

    #[test]
    fn without_sans_the_cn_decides() {
        let c = cert("match/wildcard.pem");
        assert!(matches!(check(&c, "cucm.example.com"), HostMatch::Matches { .. }));
        let HostMatch::Mismatch { curl } = check(&c, "lab-dc.michamen.com") else { panic!() };
        assert_eq!(
            curl,
            "SSL: certificate subject name '*.example.com' does not match target host name 'lab-dc.michamen.com'"
        );
    }
}
