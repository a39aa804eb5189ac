//! How close a certificate is to its end, against the thresholds a monitor sets (`--warn-days`, `--critical-days`):
//! the renewal guides start with "find the expiration date of each certificate", and an expired tomcat, CallManager
//! or TVS certificate stops SSO, phone registration or HTTPS. One judgement for every command that shows
//! certificates, so `inspect`, `chain`, `pair` and `connect` (and its Nagios and CSV forms) never disagree.

use time::OffsetDateTime;

use crate::model::Certificate;

/// Days left under which a certificate is a warning, and under which it is a failure. The defaults, 30 and 7,
/// leave time for a CA that takes days to answer a CSR and for a change window to be booked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Thresholds {
    pub warn_days: u32,
    pub critical_days: u32,
}

impl Thresholds {
    pub const DEFAULT_WARN_DAYS: u32 = 30;
    pub const DEFAULT_CRITICAL_DAYS: u32 = 7;
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds { warn_days: Thresholds::DEFAULT_WARN_DAYS, critical_days: Thresholds::DEFAULT_CRITICAL_DAYS }
    }
}

/// Ordered from good to bad, so the worst of several is their maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Ok,
    /// Fewer than `warn_days` left, or a date that cannot be read: renew soon, nothing fails yet.
    Warning,
    /// Fewer than `critical_days` left, expired, or not valid yet: a failed check (exit 1).
    Critical,
}

impl Level {
    /// The word scripts read (JSON, CSV): "ok", "warning", "critical".
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "ok",
            Level::Warning => "warning",
            Level::Critical => "critical",
        }
    }
}

/// Where one certificate stands against the thresholds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    pub level: Level,
    /// Whole days from the moment of evaluation to notAfter, rounded down: 0 on its last day, -1 on the day after
    /// it expired. None when notAfter cannot be read.
    pub days_left: Option<i64>,
    /// The certificate is not valid yet (notBefore is still ahead).
    pub not_yet_valid: bool,
    /// What it was judged against (for saying why).
    pub thresholds: Thresholds,
}

/// Judges `certificate` at `at`.
pub fn judge(certificate: &Certificate, at: OffsetDateTime, thresholds: Thresholds) -> Expiry {
    judge_dates(certificate.not_before, certificate.not_after, at, thresholds)
}

/// Judges a certificate by its dates (None: unreadable).
pub fn judge_dates(
    not_before: Option<OffsetDateTime>,
    not_after: Option<OffsetDateTime>,
    at: OffsetDateTime,
    thresholds: Thresholds,
) -> Expiry {
    let days_left = not_after.map(|end| (end - at).whole_seconds().div_euclid(86_400));
    let not_yet_valid = not_before.is_some_and(|start| at < start);
    let level = match days_left {
        None => Level::Warning,
        Some(_) if not_yet_valid => Level::Critical,
        Some(d) if d < i64::from(thresholds.critical_days) => Level::Critical,
        Some(d) if d < i64::from(thresholds.warn_days) => Level::Warning,
        Some(_) => Level::Ok,
    };
    Expiry { level, days_left, not_yet_valid, thresholds }
}

/// Of numbered certificates and their expiry, those inside a threshold, soonest first (ties in order): what
/// `chain` and `pair` list under "expiring".
pub fn expiring(judged: impl IntoIterator<Item = (usize, Expiry)>) -> Vec<(usize, Expiry)> {
    let mut found: Vec<(usize, Expiry)> = judged.into_iter().filter(|(_, e)| e.level > Level::Ok).collect();
    found.sort_by_key(|(i, e)| (e.days_left.unwrap_or(i64::MIN), *i));
    found
}

impl Expiry {
    /// Why the level is what it is, for people: "expires in 5 days, inside --critical-days 7".
    pub fn describe(&self) -> String {
        let thresholds = self.thresholds;
        let days = |n: i64| if n == 1 { "1 day".to_string() } else { format!("{n} days") };
        let Some(d) = self.days_left else {
            return "the expiry date cannot be read".into();
        };
        if self.not_yet_valid {
            return "is not valid yet".into();
        }
        let when = match d {
            d if d < 0 => return format!("expired {} ago", days(-d)),
            0 => "expires within a day".to_string(),
            d => format!("expires in {}", days(d)),
        };
        match self.level {
            Level::Critical => format!("{when}, inside --critical-days {}", thresholds.critical_days),
            Level::Warning => format!("{when}, inside --warn-days {}", thresholds.warn_days),
            Level::Ok => when,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn cert_ending(end: OffsetDateTime) -> Certificate {
        let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/cucm/tomcat.pem")).unwrap();
        let block = pem::parse(pem).unwrap();
        let (mut cert, _) = Certificate::from_der(block.contents()).unwrap();
        cert.not_before = Some(datetime!(2020-01-01 0:00 UTC));
        cert.not_after = Some(end);
        cert
    }

    const AT: OffsetDateTime = datetime!(2026-06-01 12:00 UTC);

    #[test]
    fn levels_follow_the_thresholds() {
        let t = Thresholds::default();
        let judge_end = |end| judge(&cert_ending(end), AT, t);
        assert_eq!(judge_end(datetime!(2026-09-09 12:00 UTC)).level, Level::Ok);
        assert_eq!(judge_end(datetime!(2026-07-01 12:00 UTC)).level, Level::Ok, "30 days left is not under 30");
        assert_eq!(judge_end(datetime!(2026-07-01 11:59 UTC)).level, Level::Warning, "29 days and some hours");
        assert_eq!(judge_end(datetime!(2026-06-08 12:00 UTC)).level, Level::Warning, "7 days left");
        let five = judge_end(datetime!(2026-06-06 12:00 UTC));
        assert_eq!((five.level, five.days_left), (Level::Critical, Some(5)));
        assert_eq!(five.describe(), "expires in 5 days, inside --critical-days 7");
        let expired = judge_end(datetime!(2026-05-31 13:00 UTC));
        assert_eq!((expired.level, expired.days_left), (Level::Critical, Some(-1)));
        assert_eq!(expired.describe(), "expired 1 day ago");
    }

    #[test]
    fn zero_thresholds_fail_only_what_has_expired() {
        let t = Thresholds { warn_days: 0, critical_days: 0 };
        assert_eq!(judge(&cert_ending(datetime!(2026-06-01 13:00 UTC)), AT, t).level, Level::Ok);
        assert_eq!(judge(&cert_ending(datetime!(2026-06-01 11:00 UTC)), AT, t).level, Level::Critical);
    }

    #[test]
    fn unreadable_and_future_dates() {
        let mut c = cert_ending(datetime!(2027-01-01 0:00 UTC));
        c.not_before = Some(datetime!(2026-12-01 0:00 UTC));
        let e = judge(&c, AT, Thresholds::default());
        assert_eq!(e.level, Level::Critical);
        assert!(e.not_yet_valid);
        c.not_after = None;
        assert_eq!(judge(&c, AT, Thresholds::default()).level, Level::Warning);
    }
}
