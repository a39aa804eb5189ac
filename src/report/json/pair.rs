//! `pair --json`: every pair with its verdict, the CSRs waiting for a certificate, certificates without a CSR,
//! keys alone, CA certificates, and the files that gave nothing to pair.

use std::io::{self, Write};

use serde::Serialize;

use super::common::{ExpiryJson, ThresholdsJson};
use super::matching::check_ids;
use super::{JSON_SCHEMA, rfc3339, write};
use crate::analysis::expiry::Level;
use crate::analysis::pairing::{Found, Place, Verdict};
use crate::model::digest;
use crate::report::pair::{PairReport, Skipped};
use crate::untrusted::Untrusted;

/// `match`'s verdict for one pair, briefly.
#[derive(Serialize)]
struct VerdictJson<'a> {
    matched: bool,
    cucm_error: Option<&'a str>,
    failed_check: Option<&'static str>,
    /// The message of the failure heading the verdict, or of the first warning.
    message: Option<&'a str>,
    /// The ids of the checks that warned.
    warnings: Vec<&'static str>,
}

impl<'a> VerdictJson<'a> {
    fn new(v: &'a Verdict) -> VerdictJson<'a> {
        VerdictJson {
            matched: v.matched,
            cucm_error: v.cucm_error.as_deref(),
            failed_check: v.failed_check.map(|c| c.as_str()),
            message: v.message.as_deref(),
            warnings: check_ids(&v.warnings),
        }
    }
}

#[derive(Serialize)]
struct PlaceJson<'a> {
    path: &'a Untrusted,
    /// 1-based position in a file holding several objects, else null.
    position: Option<usize>,
    /// The file inside a ZIP archive that holds the object, as the archive names it; null outside archives.
    member: Option<&'a Untrusted>,
}

impl<'a> PlaceJson<'a> {
    fn new(place: &'a Place) -> PlaceJson<'a> {
        PlaceJson { path: &place.path, position: place.position, member: place.member.as_ref() }
    }
}

#[derive(Serialize)]
struct PairCertJson<'a> {
    #[serde(flatten)]
    place: PlaceJson<'a>,
    common_name: Option<&'a Untrusted>,
    serial: String,
    not_after: Option<String>,
    expiry: ExpiryJson,
    sha256: String,
}

#[derive(Serialize)]
struct PairRowJson<'a> {
    /// "match" or "mismatch".
    status: &'static str,
    csr: PlaceJson<'a>,
    purpose: Option<&'static str>,
    certificate: PairCertJson<'a>,
    keys: Vec<PlaceJson<'a>>,
    verdict: VerdictJson<'a>,
}

#[derive(Serialize)]
struct WaitingJson<'a> {
    csr: PlaceJson<'a>,
    common_name: Option<&'a Untrusted>,
    purpose: Option<&'static str>,
    keys: Vec<PlaceJson<'a>>,
}

#[derive(Serialize)]
struct OrphanJson<'a> {
    certificate: PairCertJson<'a>,
    purpose: Option<&'static str>,
    /// The CSR of the same subject (another key) when the certificate was issued for a CSR since regenerated.
    superseded_csr: Option<PlaceJson<'a>>,
    /// null where CUCM's text is not documented (a missing CSR of an IM and Presence purpose).
    cucm_error: Option<&'a str>,
    keys: Vec<PlaceJson<'a>>,
}

/// A file left out (unreadable, nothing found, not read), as `pair` and `plan` list them.
#[derive(Serialize)]
pub(super) struct SkippedJson<'a> {
    path: &'a Untrusted,
    reason: &'a str,
}

#[derive(Serialize)]
struct PairSummaryJson {
    files: usize,
    pairs: usize,
    matched: usize,
    mismatched: usize,
    waiting_csrs: usize,
    certificates_without_csr: usize,
    /// Of `certificates_without_csr`, those issued for a CSR that was replaced (same subject, another key).
    certificates_for_superseded_csr: usize,
    lonely_keys: usize,
    ca_certificates: usize,
    unreadable: usize,
    /// Files read, and paired, with a warning (`read_with_warning`).
    read_with_warning: usize,
    unknown: usize,
    /// Certificates inside `--warn-days` but not `--critical-days`.
    expiry_warnings: usize,
    /// Certificates inside `--critical-days`, or expired (a failure: exit 1).
    expiry_critical: usize,
}

#[derive(Serialize)]
struct PairJson<'a> {
    schema: u32,
    at: String,
    thresholds: ThresholdsJson,
    summary: PairSummaryJson,
    pairs: Vec<PairRowJson<'a>>,
    waiting_csrs: Vec<WaitingJson<'a>>,
    certificates_without_csr: Vec<OrphanJson<'a>>,
    lonely_keys: Vec<PlaceJson<'a>>,
    ca_certificates: Vec<PairCertJson<'a>>,
    unreadable: Vec<SkippedJson<'a>>,
    /// Files read with a warning: a damaged block left out, or a block other tools do not read as it stands.
    read_with_warning: Vec<SkippedJson<'a>>,
    unknown: Vec<SkippedJson<'a>>,
    skipped: Vec<SkippedJson<'a>>,
    /// Files holding a CSR or certificate already found elsewhere (counted once).
    copies: Vec<PlaceJson<'a>>,
}

pub fn pair(report: &PairReport, out: &mut dyn Write) -> io::Result<()> {
    let p = &report.pairing;
    let cert = |i: usize| {
        let Found { item: c, place } = &p.certificates[i];
        PairCertJson {
            place: PlaceJson::new(place),
            common_name: c.common_name.as_ref(),
            serial: digest::hex_colons_lower(&c.serial),
            not_after: c.not_after.map(rfc3339),
            expiry: ExpiryJson::new(&report.expiry(i)),
            sha256: digest::hex_colons_upper(&c.sha256),
        }
    };
    let keys = |ks: &[usize]| ks.iter().map(|&k| PlaceJson::new(&p.keys[k].place)).collect::<Vec<_>>();
    let mut pairs = Vec::new();
    let mut waiting = Vec::new();
    for e in &p.entries {
        for paired in &e.certificates {
            pairs.push(PairRowJson {
                status: if paired.verdict.matched { "match" } else { "mismatch" },
                csr: PlaceJson::new(&p.csrs[e.csr].place),
                purpose: e.purpose.map(|p| p.name()),
                certificate: cert(paired.certificate),
                keys: keys(&e.keys),
                verdict: VerdictJson::new(&paired.verdict),
            });
        }
        if e.certificates.is_empty() {
            waiting.push(WaitingJson {
                csr: PlaceJson::new(&p.csrs[e.csr].place),
                common_name: p.csrs[e.csr].item.common_name.as_ref(),
                purpose: e.purpose.map(|p| p.name()),
                keys: keys(&e.keys),
            });
        }
    }
    let matched = pairs.iter().filter(|r| r.status == "match").count();
    let expiring = report.expiring();
    let expiring_at = |level: Level| expiring.iter().filter(|(_, e)| e.level == level).count();
    let doc = PairJson {
        schema: JSON_SCHEMA,
        at: rfc3339(report.at),
        thresholds: ThresholdsJson::new(report.thresholds),
        summary: PairSummaryJson {
            files: report.files,
            pairs: pairs.len(),
            matched,
            mismatched: pairs.len() - matched,
            waiting_csrs: waiting.len(),
            certificates_without_csr: p.orphans.len(),
            certificates_for_superseded_csr: p.orphans.iter().filter(|o| o.superseded_by.is_some()).count(),
            lonely_keys: p.lonely_keys.len(),
            ca_certificates: p.ca_certificates.len(),
            unreadable: report.unreadable.len(),
            read_with_warning: report.warnings.len(),
            unknown: report.unknown.len(),
            expiry_warnings: expiring_at(Level::Warning),
            expiry_critical: expiring_at(Level::Critical),
        },
        pairs,
        waiting_csrs: waiting,
        certificates_without_csr: p
            .orphans
            .iter()
            .map(|o| OrphanJson {
                certificate: cert(o.certificate),
                purpose: o.purpose.map(|p| p.name()),
                superseded_csr: o.superseded_by.map(|c| PlaceJson::new(&p.csrs[c].place)),
                cucm_error: o.cucm_error.as_deref(),
                keys: keys(&o.keys),
            })
            .collect(),
        lonely_keys: keys(&p.lonely_keys),
        ca_certificates: p.ca_certificates.iter().map(|&i| cert(i)).collect(),
        unreadable: skipped_json(&report.unreadable),
        read_with_warning: skipped_json(&report.warnings),
        unknown: skipped_json(&report.unknown),
        skipped: skipped_json(&report.skipped),
        copies: p
            .entries
            .iter()
            .flat_map(|e| e.copies.iter().map(|&c| PlaceJson::new(&p.csrs[c].place)))
            .chain(p.duplicate_certificates.iter().map(|&i| PlaceJson::new(&p.certificates[i].place)))
            .collect(),
    };
    write(out, &doc)
}

pub(super) fn skipped_json(list: &[Skipped]) -> Vec<SkippedJson<'_>> {
    list.iter().map(|s| SkippedJson { path: &s.path, reason: &s.reason }).collect()
}
