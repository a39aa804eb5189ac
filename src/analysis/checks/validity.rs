//! `validity`: CUCM refuses an expired certificate; a certificate not yet valid points at a wrong clock (NTP).
//! Judged at `--at` (default now). A certificate about to expire passes with a warning.

use super::{CheckId, Finding, Pair};
use crate::cucm;
use crate::model::certificate::{ValidityStatus, format_utc_opt};

/// Fewer days than this left: warn, since the certificate will need replacing soon.
const SOON_DAYS: i64 = 30;

pub fn check(pair: &Pair<'_>) -> Finding {
    judge(pair.certificate.not_before, pair.certificate.not_after, pair.at)
}

/// The check on the dates alone, which is all it reads: a batch keeps only the dates (see [`super::facts`]).
pub(super) fn judge(
    not_before: Option<time::OffsetDateTime>,
    not_after: Option<time::OffsetDateTime>,
    at: time::OffsetDateTime,
) -> Finding {
    let from = format_utc_opt(not_before);
    let until = format_utc_opt(not_after);
    match ValidityStatus::between(not_before, not_after, at) {
        ValidityStatus::Valid { days_left } if days_left < SOON_DAYS => Finding::warn(
            CheckId::Validity,
            format!("valid until {until}, but that is only {days_left} days away"),
        )
        .remedy("plan the renewal now: generate a new CSR only when ready to have it signed at once"),
        ValidityStatus::Valid { days_left } => {
            Finding::pass(CheckId::Validity, format!("valid from {from} until {until} ({days_left} days left)"))
        }
        ValidityStatus::Expired { days_ago } => Finding::fail(
            CheckId::Validity,
            format!("expired {} ago, on {until}", plural(days_ago)),
        )
        .cause("the CA returned an old certificate, or it was issued with a past validity; CUCM cannot upload an expired certificate")
        .remedy("have the CA issue a new certificate for this CSR"),
        ValidityStatus::NotYetValid { days_until } => Finding::fail(
            CheckId::Validity,
            format!("not valid until {from}, {} from now", plural(days_until)),
        )
        .cause("the CA's clock, or CUCM's, is wrong (check NTP), or the CA set a start date in the future")
        .remedy("check NTP on CUCM (utils ntp status) and the CA's clock; upload once the start date has passed"),
        ValidityStatus::Unknown => Finding::fail(CheckId::Validity, "a validity date is unreadable")
            .cucm(cucm::READ_ERROR)
            .cause("the certificate's dates are not encoded as X.509 requires")
            .remedy("have the CA issue the certificate again"),
    }
}

fn plural(days: i64) -> String {
    if days == 1 { "1 day".into() } else { format!("{days} days") }
}

/// True exactly when [`judge`] passes, without its words (two dates written out): a batch asks it of every pair it
/// reads (see [`super::facts`]).
pub(super) fn passes(
    not_before: Option<time::OffsetDateTime>,
    not_after: Option<time::OffsetDateTime>,
    at: time::OffsetDateTime,
) -> bool {
    matches!(ValidityStatus::between(not_before, not_after, at), ValidityStatus::Valid { days_left } if days_left >= SOON_DAYS)
}

#[cfg(test)]
mod tests {
    use super::super::Status;
    use super::super::testing::{at, check_pair};
    use super::*;

    fn run(cert_file: &str, when: time::OffsetDateTime) -> Finding {
        check_pair(check, "cucm/tomcat.csr", cert_file, None, when)
    }

    #[test]
    fn valid_passes_with_days_left() {
        let f = run("cucm/tomcat.pem", at());
        assert_eq!(f.status, Status::Pass);
        assert!(f.message.contains("579 days left"));
    }

    #[test]
    fn expired_fails_and_says_when() {
        let f = run("match/tomcat-expired.pem", at());
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("expired 1977 days ago, on 2021-01-01 00:00:00 UTC"), "{}", f.message);
    }

    #[test]
    fn not_yet_valid_fails_and_points_at_the_clock() {
        let f = run("match/tomcat-not-yet-valid.pem", at());
        assert_eq!(f.status, Status::Fail);
        assert!(f.message.contains("not valid until 2030-01-01"));
        assert!(f.remedies[0].contains("NTP"));
    }

    #[test]
    fn expiring_soon_warns() {
        let f = run("cucm/tomcat.pem", time::macros::datetime!(2027-12-20 0:00 UTC));
        assert_eq!(f.status, Status::Warn);
    }
}
