//! Each phone's enrollment as the CAPF trace shows it: the steps with their times and how it ended. A record
//! without a device name belongs to the last phone named.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::analyzer::time_of;
use super::phrases::{Found, Phrase};
use super::{EnrollmentOutcome, EnrollmentStep, LogKind, Phone, re};

/// Bounds on what grows with the number of phones, not with log size.
const MAX_PHONES: usize = 10_000;
const MAX_STEPS: usize = 40;

static RV: LazyLock<Regex> = LazyLock::new(|| re(r"Enrollment rv = (\d+) \((\w+)\)"));

/// The phones met so far, in order of appearance.
#[derive(Default)]
pub(super) struct Timeline {
    phones: Vec<Phone>,
    by_device: HashMap<String, usize>,
    /// The phone a record without a device name belongs to (the last one named).
    current_device: Option<String>,
}

impl Timeline {
    /// One CAPF record: a step of a phone's enrollment, if it is one.
    pub(super) fn record(&mut self, record: &str, found: Found) {
        let device = if found.has(Phrase::Sep) { device_name(record) } else { None };
        if let Some(d) = &device
            && self.current_device.as_ref() != Some(d)
        {
            self.current_device = Some(d.clone());
        }
        let Some((text, outcome)) = step_of(record, found) else { return };
        let time = time_of(LogKind::Capf, record);
        let Some(device) = device.or_else(|| self.current_device.clone()) else { return };
        let Some(phone) = self.phone(device) else { return };
        if text.starts_with("enrollment started") {
            phone.outcome = EnrollmentOutcome::Unfinished; // a new attempt
        }
        // the same step at the same time is one step: two traces of one period (overlapping RTMT downloads, or the
        // same file given twice) must not print a phone's timeline twice
        let repeated = phone.steps.last().is_some_and(|s| s.step == text)
            || (time.is_some() && phone.steps.iter().any(|s| s.step == text && s.time == time));
        if !repeated && phone.steps.len() < MAX_STEPS {
            phone.steps.push(EnrollmentStep { time, step: text });
        }
        match outcome {
            Some(EnrollmentOutcome::Failed) => phone.outcome = EnrollmentOutcome::Failed,
            Some(EnrollmentOutcome::Success) if phone.outcome != EnrollmentOutcome::Failed => {
                phone.outcome = EnrollmentOutcome::Success
            }
            _ => {}
        }
    }

    /// The phone of `device`, added when new (None past [`MAX_PHONES`]).
    fn phone(&mut self, device: String) -> Option<&mut Phone> {
        let index = match self.by_device.get(&device) {
            Some(&i) => i,
            None => {
                if self.phones.len() >= MAX_PHONES {
                    return None;
                }
                self.phones.push(Phone {
                    device: device.clone(),
                    steps: Vec::new(),
                    outcome: EnrollmentOutcome::Unfinished,
                });
                self.by_device.insert(device, self.phones.len() - 1);
                self.phones.len() - 1
            }
        };
        self.phones.get_mut(index)
    }

    pub(super) fn into_phones(self) -> Vec<Phone> {
        self.phones
    }
}

/// The enrollment step a CAPF record says, and the outcome it means, if any.
fn step_of(record: &str, found: Found) -> Option<(String, Option<EnrollmentOutcome>)> {
    if found.has(Phrase::Initiating) {
        Some(("enrollment started (CA Mode is OnlineCA)".into(), None))
    } else if found.has(Phrase::CsrRead) {
        Some(("read_csr: CSR read".into(), None))
    } else if found.has(Phrase::CallingEst) {
        Some(("enrollCertUsingEST called".into(), None))
    } else if let Some(c) = found.has(Phrase::EnrollmentRv).then(|| RV.captures(record)).flatten() {
        let ok = c.get(1).is_some_and(|m| m.as_str() == "0");
        let text = format!(
            "Enrollment rv = {} ({})",
            c.get(1).map_or("", |m| m.as_str()),
            c.get(2).map_or("", |m| m.as_str())
        );
        Some((text, Some(if ok { EnrollmentOutcome::Success } else { EnrollmentOutcome::Failed })))
    } else if found.has(Phrase::SignedWritten) {
        Some(("signed certificate written".into(), None))
    } else if found.has(Phrase::SigningOk) {
        Some(("online certificate signing successful".into(), Some(EnrollmentOutcome::Success)))
    } else if found.has(Phrase::SigningFailed) {
        Some(("online certificate signing failed".into(), Some(EnrollmentOutcome::Failed)))
    } else if found.has(Phrase::LscVerified) {
        Some(("LSC verified".into(), None))
    } else if found.has(Phrase::StoreCertReq) {
        Some(("STORE_CERT_REQ sent to the phone".into(), None))
    } else if found.has(Phrase::SetOperationStatus) && found.has(Phrase::StatusIsSetTo) {
        if record.contains("Operation status is set to Success") {
            Some(("operation status: Success".into(), Some(EnrollmentOutcome::Success)))
        } else if record.contains("SetOperationStatus(Success") {
            None
        } else {
            Some(("operation status: failed".into(), Some(EnrollmentOutcome::Failed)))
        }
    } else {
        None
    }
}

/// The first `SEP` + 12 hex digits in a record (a phone's device name), upper-cased.
fn device_name(record: &str) -> Option<String> {
    let b = record.as_bytes();
    record.match_indices("SEP").find_map(|(p, _)| {
        let name = b.get(p..p + 15)?;
        let boundary_before = p == 0 || !b[p - 1].is_ascii_alphanumeric();
        let boundary_after = b.get(p + 15).is_none_or(|c| !c.is_ascii_alphanumeric());
        (boundary_before && boundary_after && name[3..].iter().all(u8::is_ascii_hexdigit))
            .then(|| String::from_utf8_lossy(name).to_ascii_uppercase())
    })
}
