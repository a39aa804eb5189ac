//! `critical-extension`: only Key Usage and Basic Constraints may be critical; CUCM's guide says other critical
//! extensions break UCCX <-> CUCM connections.

use super::{CheckId, Finding, Pair};
use crate::model::Certificate;

pub fn check(pair: &Pair<'_>) -> Finding {
    judge(pair.certificate)
}

/// The check on the certificate alone, which is all it reads: a batch runs it as it reads the file (see
/// [`super::facts`]).
pub(super) fn judge(cert: &Certificate) -> Finding {
    let odd = cert.extensions.unexpected_critical();
    if odd.is_empty() {
        return Finding::pass(
            CheckId::CriticalExtension,
            "only Key Usage and Basic Constraints are critical, if anything",
        );
    }
    let names: Vec<&str> = odd.iter().map(|e| e.name.unwrap_or(e.oid.as_ref())).collect();
    Finding::warn(CheckId::CriticalExtension, format!("critical extensions other than Key Usage and Basic Constraints: {}", names.join(", ")))
        .cause("the CA's template marks these extensions critical")
        .remedy("CUCM's guide: other critical extensions break UCCX <-> CUCM connections; ask the CA to mark only Key Usage and Basic Constraints critical")
}

/// True exactly when [`judge`] passes, without its words: a batch asks it of every certificate it reads.
pub(super) fn passes(cert: &Certificate) -> bool {
    cert.extensions.unexpected_critical().is_empty()
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    #[test]
    fn critical_eku_warns_and_critical_key_usage_does_not() {
        let f = check_pair(check, "cucm/tomcat.csr", "match/tomcat-critical-eku.pem", None, at());
        assert_eq!(f.status, Status::Warn);
        assert!(f.message.contains("extendedKeyUsage"));
        let f = check_pair(check, "cucm/tomcat.csr", "match/tomcat-serverauth-only.pem", None, at());
        assert_eq!(f.status, Status::Pass);
    }
}
