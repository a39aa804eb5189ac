//! The flags of a set of certificates: what an admin must know before uploading, each given once (per group of
//! duplicates, per top of a chain, per same-CN group).

use std::collections::{HashMap, HashSet};

use super::issuers::{Pool, Up};
use super::walks::{End, Top};
use super::{Flag, FlagKind, Role, Step};
use crate::analysis::verify::Verification;
use crate::cucm::{self, Purpose};
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::untrusted::Untrusted;

/// Each certificate once, in input order; a certificate given more than once is one flag, naming where else.
pub(super) fn without_duplicates(
    certs: Vec<(Certificate, Untrusted)>,
) -> (Vec<Certificate>, Vec<Untrusted>, Vec<Flag>) {
    let mut certificates: Vec<Certificate> = Vec::new();
    let mut origins: Vec<Untrusted> = Vec::new();
    // keyed by the last bytes of the DER (the signature: distinct for distinct certificates), compared whole
    let tail = |der: &[u8]| der[der.len().saturating_sub(32)..].to_vec();
    let mut by_tail: HashMap<Vec<u8>, Vec<usize>> = HashMap::new();
    let mut copies: Vec<(usize, Vec<Untrusted>)> = Vec::new();
    for (cert, origin) in certs {
        let same =
            by_tail.get(&tail(&cert.der)).and_then(|c| c.iter().copied().find(|&i| certificates[i].der == cert.der));
        if let Some(first) = same {
            match copies.iter_mut().find(|(i, _)| *i == first) {
                Some((_, list)) => list.push(origin),
                None => copies.push((first, vec![origin])),
            }
            continue;
        }
        by_tail.entry(tail(&cert.der)).or_default().push(certificates.len());
        certificates.push(cert);
        origins.push(origin);
    }
    let flags = copies
        .into_iter()
        .map(|(first, others)| {
            let times =
                if others.len() == 1 { "more than once".to_string() } else { format!("{} times", others.len() + 1) };
            let name = certificates[first].display_name();
            let message = format!("{name} appears {times} (also in {})", some_of(&others));
            Flag::new(FlagKind::Duplicate, first, message, "upload it once; the plan lists it once")
        })
        .collect();
    (certificates, origins, flags)
}

/// At most a few items of a list, then how many more: messages stay one line however many there are.
fn some_of<T: std::fmt::Display>(items: &[T]) -> String {
    const SHOWN: usize = 3;
    let mut text = items.iter().take(SHOWN).map(T::to_string).collect::<Vec<_>>().join(", ");
    if items.len() > SHOWN {
        text.push_str(&format!(" and {} more", items.len() - SHOWN));
    }
    text
}

/// The issuer missing at the top of a chain, or a chain that loops: once per top certificate.
pub(super) fn top_flags(certificates: &[Certificate], tops: &[Top], trust: &str) -> Vec<Flag> {
    let name = |i: usize| certificates[i].display_name();
    let mut flags = Vec::new();
    for &Top { index: top, end, is_start } in tops {
        match end {
            End::Missing => {
                let consequence = if is_start {
                    format!("uploading it now gives \"{}\"", cucm::CA_NOT_IN_TRUST_STORE)
                } else {
                    format!(
                        "unless that CA is already in {trust}, the uploads give \"{}\"",
                        cucm::CA_NOT_IN_TRUST_STORE
                    )
                };
                let issuer = certificates[top].issuer.to_openssl_string();
                let message = format!("the issuer of {} ({issuer}) is not among the certificates", name(top));
                flags.push(Flag::new(FlagKind::IssuerMissing, top, message, consequence));
            }
            End::Loop => flags.push(Flag::new(
                FlagKind::Loop,
                top,
                format!("the issuers of {} go round in a loop", name(top)),
                "no root can be found; the chain cannot be trusted",
            )),
            End::Root => {}
        }
    }
    flags
}

/// Flags about each step of the plan: its signature, its dates, its basic constraints, its hash.
pub(super) fn step_flags(
    certificates: &[Certificate],
    plan: &[Step],
    purpose: Option<Purpose>,
    at: time::OffsetDateTime,
) -> Vec<Flag> {
    let issues_in_plan: HashSet<usize> = plan.iter().filter_map(|s| s.issuer).collect();
    let mut flags = Vec::new();
    for step in plan {
        flags.extend(signature_flag(certificates, step));
        flags.extend(validity_flag(certificates, step.index, at));
        flags.extend(constraint_flag(certificates, step, purpose, issues_in_plan.contains(&step.index)));
        let cert = &certificates[step.index];
        if step.issuer.is_some() && cert.signature_algorithm.hash.is_some_and(|h| h.is_weak()) {
            flags.push(Flag::new(
                FlagKind::WeakHash,
                step.index,
                format!("{} is signed with {}", cert.display_name(), cert.signature_algorithm.name),
                "SHA-1 and MD5 signatures are broken; CUCM's guide asks for SHA-256",
            ));
        }
    }
    flags
}

/// A signature that does not verify with its issuer's key, or that cannot be checked.
fn signature_flag(certificates: &[Certificate], step: &Step) -> Option<Flag> {
    let name = |i: usize| certificates[i].display_name();
    match (&step.signature, step.issuer) {
        (Some(Verification::Invalid), Some(issuer)) => Some(Flag::new(
            FlagKind::BadSignature,
            step.index,
            format!("the signature on {} does not verify with the key of {}", name(step.index), name(issuer)),
            format!(
                "{} is not really issued by {}: its upload gives \"{}\" (the file was altered, or it is another CA's certificate of the same name)",
                name(step.index),
                name(issuer),
                cucm::CA_NOT_IN_TRUST_STORE
            ),
        )),
        (Some(Verification::Unsupported(reason)), Some(_)) => Some(Flag::new(
            FlagKind::UnverifiableSignature,
            step.index,
            format!("the signature on {} cannot be checked: {reason}", name(step.index)),
            "ucert cannot vouch for this link; CUCM may still accept it",
        )),
        _ => None,
    }
}

/// An expired, not yet valid or undatable certificate.
fn validity_flag(certificates: &[Certificate], index: usize, at: time::OffsetDateTime) -> Option<Flag> {
    let cert = &certificates[index];
    let name = cert.display_name();
    let validity = cert.validity_at(at);
    Some(match validity {
        ValidityStatus::Expired { .. } => Flag::new(
            FlagKind::Expired,
            index,
            format!("{name} {}", validity.describe()),
            "CUCM cannot upload an expired certificate; get the current one from the CA",
        ),
        ValidityStatus::NotYetValid { .. } => Flag::new(
            FlagKind::NotYetValid,
            index,
            format!("{name} is {}", validity.describe()),
            "the CA's or CUCM's clock is wrong (check NTP); it cannot be used until then",
        ),
        ValidityStatus::Unknown => Flag::new(
            FlagKind::Expired,
            index,
            format!("{name}: a validity date is unreadable"),
            format!("CUCM cannot read it: \"{}\"", cucm::READ_ERROR),
        ),
        ValidityStatus::Valid { .. } => return None,
    })
}

/// Basic constraints that do not fit the certificate's place: an issuer that is not a CA, a leaf that is one (but
/// for CAPF's), a CAPF certificate that is not one.
fn constraint_flag(certificates: &[Certificate], step: &Step, purpose: Option<Purpose>, issues: bool) -> Option<Flag> {
    let cert = &certificates[step.index];
    let name = cert.display_name();
    let capf = purpose == Some(Purpose::Capf);
    if step.role != Role::Leaf && !cert.is_ca() && issues {
        return Some(Flag::new(
            FlagKind::CaWithoutBasicConstraints,
            step.index,
            format!("{name} issues certificates but has no basicConstraints CA:TRUE"),
            "TLS clients (and CUCM's trust checks) may refuse it as an issuer; ask the CA to reissue it as a CA",
        ));
    }
    if step.role == Role::Leaf && cert.is_ca() && !capf {
        return Some(Flag::new(
            FlagKind::LeafIsCa,
            step.index,
            format!("the leaf {name} carries basicConstraints CA:TRUE"),
            "a server certificate should not be a CA (only CAPF's is); ask the CA for an end-entity certificate",
        ));
    }
    if step.role == Role::Leaf && capf && !cert.is_ca() {
        return Some(Flag::new(
            FlagKind::CapfNotCa,
            step.index,
            format!("the CAPF certificate {name} is not a CA (no CA:TRUE, pathlen:0)"),
            "CAPF signs phone certificates with it; without CA:TRUE and Certificate Sign TLS connections fail",
        ));
    }
    None
}

/// A certificate that more than one certificate at hand could have issued (cross-signing): once per certificate.
pub(super) fn several_paths_flags(pool: &Pool<'_>, ups: &[(usize, Up)]) -> Vec<Flag> {
    let name = |i: usize| pool.certificate(i).display_name();
    let mut flagged = HashSet::new();
    let mut flags = Vec::new();
    for (index, up) in ups {
        let Up::Issuer { candidates, .. } = up else { continue };
        if *candidates <= 1 || !flagged.insert(*index) {
            continue;
        }
        let others: Vec<String> = pool
            .candidates(*index)
            .into_iter()
            .map(|j| {
                let by = pool.certificate(j).issuer.common_name().map(Untrusted::escaped).unwrap_or("?".into());
                format!("{} (issued by {by})", name(j))
            })
            .collect();
        flags.push(Flag::new(
            FlagKind::SeveralPaths,
            *index,
            format!("{} can be issued by more than one certificate (cross-signing): {}", name(*index), some_of(&others)),
            "the plan follows the path that verifies up to a root; the other certificate of the same name is an alternative, not an addition",
        ));
    }
    flags
}

/// CA certificates that share a CN (case-insensitive), which a trust store keeps one of: once per CN.
pub(super) fn same_cn_flags(certificates: &[Certificate], trust: &str) -> Vec<Flag> {
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    let mut order = Vec::new();
    for (i, c) in certificates.iter().enumerate().filter(|(_, c)| c.is_ca()) {
        if let Some(cn) = c.subject.common_name() {
            let key = cn.raw().to_ascii_lowercase();
            let members = groups.entry(key.clone()).or_default();
            if members.is_empty() {
                order.push(key);
            }
            members.push(i);
        }
    }
    let mut flags = Vec::new();
    for key in order {
        let members = &groups[&key];
        if members.len() < 2 {
            continue;
        }
        let cn = certificates[members[0]].subject.common_name().map(Untrusted::to_string).unwrap_or_default();
        let how_many = if members.len() == 2 { "two".to_string() } else { members.len().to_string() };
        flags.push(Flag::new(
            FlagKind::SameCommonName,
            members[1],
            format!("{how_many} CA certificates share the CN \"{cn}\""),
            format!("{trust} keeps one certificate per CN: only one of them can be stored (see 'ucert trust')"),
        ));
    }
    flags
}

/// Certificates that belong to no chain of the others.
pub(super) fn unrelated_flags(certificates: &[Certificate], origins: &[Untrusted], unrelated: &[usize]) -> Vec<Flag> {
    unrelated
        .iter()
        .map(|&u| {
            Flag::new(
                FlagKind::Unrelated,
                u,
                format!("{} ({}) belongs to no chain of the others", certificates[u].display_name(), origins[u]),
                "it is not needed for this upload; leave it out",
            )
        })
        .collect()
}
