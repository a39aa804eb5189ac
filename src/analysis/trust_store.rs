//! CUCM's trust store rule (Security Guide, and Cisco's "Regenerate CA-signed certificates in CUCM"): one certificate per CN and type. An incoming
//! certificate of the same CN replaces the stored one only if it starts later ("not before"); an expired one is
//! never uploaded; another CN is simply added.

use crate::untrusted::Untrusted;
use time::OffsetDateTime;

use crate::model::Certificate;
use crate::model::certificate::{ValidityStatus, format_utc_opt};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// NEW is stored in place of EXISTING.
    Replaces,
    /// NEW is not stored: EXISTING starts later (or at the same time) and is kept.
    KeepsExisting,
    /// NEW is expired: CUCM refuses the upload.
    RefusedExpired,
    /// Different CNs: NEW is stored beside EXISTING.
    BothKept,
    /// The same certificate: nothing changes.
    Identical,
}

impl Outcome {
    /// Whether NEW ends up in the store (exit 0) or not (exit 1).
    pub fn new_is_stored(self) -> bool {
        matches!(self, Outcome::Replaces | Outcome::BothKept | Outcome::Identical)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub same_cn: bool,
    /// Why, with the dates that decide it.
    pub reason: String,
    /// What to do, when the outcome is not what the admin wants.
    pub remedy: Option<String>,
    /// Notes that do not change the outcome (NEW not yet valid, EXISTING expired).
    pub notes: Vec<String>,
}

pub fn decide(existing: &Certificate, new: &Certificate, at: OffsetDateTime) -> Decision {
    let cn = |c: &Certificate| c.subject.common_name().map(|cn| cn.raw().to_string());
    let same_cn = match (cn(existing), cn(new)) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(&b),
        (None, None) => existing.subject.same_as(&new.subject),
        _ => false,
    };
    let mut notes = Vec::new();
    if let ValidityStatus::NotYetValid { .. } = new.validity_at(at) {
        notes.push(format!("NEW is {}", new.validity_at(at).describe()));
    }
    if let ValidityStatus::Expired { .. } = existing.validity_at(at) {
        notes.push(format!("EXISTING {}", existing.validity_at(at).describe()));
    }
    let decision =
        |outcome, reason: String, remedy: Option<String>, notes| Decision { outcome, same_cn, reason, remedy, notes };
    if let ValidityStatus::Expired { .. } = new.validity_at(at) {
        return decision(
            Outcome::RefusedExpired,
            format!(
                "NEW {} (not after {}): CUCM does not upload an expired certificate",
                new.validity_at(at).describe(),
                format_utc_opt(new.not_after)
            ),
            Some("get the CA's current certificate and upload that".into()),
            notes,
        );
    }
    if existing.der == new.der {
        return decision(Outcome::Identical, "NEW is the certificate already in the store".into(), None, notes);
    }
    let name = new.subject.common_name().map(Untrusted::to_string).unwrap_or_else(|| "(no CN)".into());
    if !same_cn {
        return decision(
            Outcome::BothKept,
            format!(
                "the CNs differ (\"{}\" and \"{name}\"): CUCM keeps one certificate per CN, so NEW is added beside EXISTING",
                existing.subject.common_name().map(Untrusted::to_string).unwrap_or_else(|| "(no CN)".into())
            ),
            None,
            notes,
        );
    }
    let (old_start, new_start) = (existing.not_before, new.not_before);
    let dates = format!("not before: EXISTING {}, NEW {}", format_utc_opt(old_start), format_utc_opt(new_start));
    match (old_start, new_start) {
        (Some(a), Some(b)) if b > a => decision(
            Outcome::Replaces,
            format!("same CN \"{name}\" and NEW starts later ({dates}): NEW replaces EXISTING"),
            None,
            notes,
        ),
        (Some(_), Some(_)) => decision(
            Outcome::KeepsExisting,
            format!(
                "same CN \"{name}\" and EXISTING starts {} ({dates}): CUCM keeps EXISTING and does not store NEW",
                if old_start == new_start { "at the same time" } else { "later" }
            ),
            Some("delete EXISTING from the trust store first (OS Administration > Security > Certificate Management: find it, Delete), then upload NEW".into()),
            notes,
        ),
        _ => decision(
            Outcome::KeepsExisting,
            format!("same CN \"{name}\", but a start date is unreadable ({dates}): CUCM cannot prefer NEW"),
            Some("delete EXISTING first, then upload NEW".into()),
            notes,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::{at, cert};

    #[test]
    fn each_outcome_follows_the_rule() {
        let existing = cert("ca/root-ca.pem");
        assert_eq!(decide(&existing, &cert("trust/root-renewed.pem"), at()).outcome, Outcome::Replaces);
        assert_eq!(decide(&existing, &cert("trust/root-older.pem"), at()).outcome, Outcome::KeepsExisting);
        assert_eq!(decide(&existing, &cert("trust/root-expired.pem"), at()).outcome, Outcome::RefusedExpired);
        assert_eq!(decide(&existing, &cert("trust/other-root.pem"), at()).outcome, Outcome::BothKept);
        assert_eq!(decide(&existing, &existing, at()).outcome, Outcome::Identical);
    }

    #[test]
    fn the_remedy_for_a_kept_certificate_is_to_delete_it_first() {
        let d = decide(&cert("ca/root-ca.pem"), &cert("trust/root-older.pem"), at());
        assert!(d.remedy.unwrap().starts_with("delete EXISTING"));
        assert!(d.reason.contains("2025-01-01") && d.reason.contains("2024-01-01"));
        assert!(!d.outcome.new_is_stored());
    }
}
