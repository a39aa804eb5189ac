//! Sorting a cluster's worth of CSRs, certificates and keys: every object indexed by its public key (a hash map,
//! so pairing is linear in the number of objects), then each CSR paired with its certificates and keys and given the
//! brief verdict of `match`, and everything left over named with what CUCM would say about it.

use crate::untrusted::Untrusted;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use time::OffsetDateTime;

use crate::analysis::chain;
use crate::analysis::checks::{self, CheckId, Pair, Request, Status};
use crate::cucm::{self, Purpose};
use crate::model::key::KeyIdentity;
use crate::model::{Certificate, Csr, PublicKey};

/// Where an object was found: the file, and its position when the file holds several.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub path: Untrusted,
    pub position: Option<usize>,
    /// The file name, for purpose inference.
    pub file_name: Option<String>,
}

impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some(n) => write!(f, "{}#{n}", self.path),
            None => write!(f, "{}", self.path),
        }
    }
}

/// A private or public key found on its own.
#[derive(Clone, Debug)]
pub struct LooseKey {
    pub key: PublicKey,
    pub private: bool,
}

/// An object and where it was found.
#[derive(Clone, Debug)]
pub struct Found<T> {
    pub item: T,
    pub place: Place,
}

/// Everything found, before pairing.
#[derive(Default)]
pub struct Inventory {
    pub csrs: Vec<Found<Csr>>,
    pub certificates: Vec<Found<Certificate>>,
    pub keys: Vec<Found<LooseKey>>,
}

/// The brief verdict of `match` for one pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub matched: bool,
    pub cucm_error: Option<String>,
    pub failed_check: Option<CheckId>,
    /// The message of the failure heading the verdict, or of the first warning.
    pub message: Option<String>,
    pub warnings: Vec<CheckId>,
}

/// A certificate paired with a CSR.
#[derive(Clone, Debug)]
pub struct Paired {
    pub certificate: usize,
    pub verdict: Verdict,
}

/// One CSR and what belongs to it (indices into the [`Pairing`]'s lists).
#[derive(Clone, Debug)]
pub struct CsrEntry {
    pub csr: usize,
    pub purpose: Option<Purpose>,
    pub certificates: Vec<Paired>,
    pub keys: Vec<usize>,
    /// Other files holding the very same CSR.
    pub copies: Vec<usize>,
}

/// A certificate no CSR asked for.
#[derive(Clone, Debug)]
pub struct Orphan {
    pub certificate: usize,
    pub purpose: Option<Purpose>,
    /// A CSR of the same subject with another key: the certificate was issued for a CSR since regenerated.
    pub superseded_by: Option<usize>,
    pub keys: Vec<usize>,
    /// What CUCM says when it is uploaded (None where the text is not documented: IM and Presence's missing CSR).
    pub cucm_error: Option<String>,
}

/// The result of pairing. Entries, orphans and the lists refer to the objects by their index in `csrs`,
/// `certificates` and `keys`.
pub struct Pairing {
    pub csrs: Vec<Found<Csr>>,
    pub certificates: Vec<Found<Certificate>>,
    pub keys: Vec<Found<LooseKey>>,
    /// CSRs with their certificates (none: still waiting for the CA).
    pub entries: Vec<CsrEntry>,
    pub orphans: Vec<Orphan>,
    /// Keys that belong to no CSR and no certificate.
    pub lonely_keys: Vec<usize>,
    /// CA certificates (roots, intermediates): not paired, used for the chain check.
    pub ca_certificates: Vec<usize>,
    /// Certificates found more than once (the same DER in several files), by index of the copy.
    pub duplicate_certificates: Vec<usize>,
}

impl Pairing {
    /// Any pair fails a check, or any certificate has no CSR.
    pub fn has_failures(&self) -> bool {
        !self.orphans.is_empty() || self.entries.iter().any(|e| e.certificates.iter().any(|c| !c.verdict.matched))
    }
}

/// Pairs everything. Verdicts run in parallel; the rest is a few passes over hash maps keyed by borrowed keys.
/// `purpose` (`--purpose`) is every CSR's; without it, each CSR's file name says its own.
pub fn pair(inventory: Inventory, purpose: Option<Purpose>, at: OffsetDateTime) -> Pairing {
    let (roles, entries, orphans, lonely_keys) = {
        let roles = Roles::sort(&inventory);
        let index = KeyIndex::new(&inventory, &roles.leaves);
        let mut entries = csr_entries(&inventory, &index, purpose);
        let cas: Vec<Certificate> = roles.cas.iter().map(|&i| inventory.certificates[i].item.clone()).collect();
        entries.par_iter_mut().for_each(|e| {
            let csr = &inventory.csrs[e.csr].item;
            for paired in &mut e.certificates {
                let cert = &inventory.certificates[paired.certificate].item;
                let pair = Pair { request: Request::Csr(csr), certificate: cert, cas: &cas, purpose: e.purpose, at };
                paired.verdict = verdict(&checks::run_all(&pair));
            }
        });
        let orphans = orphans(&inventory, &entries, &roles.leaves, &index);
        let lonely_keys = lonely_keys(&inventory, &entries, &orphans, &roles.cas);
        (roles, entries, orphans, lonely_keys)
    };
    let Inventory { csrs, certificates, keys } = inventory;
    Pairing {
        csrs,
        certificates,
        keys,
        entries,
        orphans,
        lonely_keys,
        ca_certificates: roles.cas,
        duplicate_certificates: roles.duplicates,
    }
}

/// What each certificate is. Copies of the same certificate are counted once. A certificate with a CSR's key is
/// that CSR's, whatever its basic constraints (CAPF's is CA:TRUE, and some CAs issue leaves so); without one, it is
/// a CA when it issued another certificate at hand or looks like one (CA:TRUE, may sign, not a server's), else a
/// leaf.
struct Roles {
    leaves: Vec<usize>,
    cas: Vec<usize>,
    duplicates: Vec<usize>,
}

impl Roles {
    fn sort(inventory: &Inventory) -> Roles {
        let request_keys: HashSet<KeyIdentity<'_>> =
            inventory.csrs.iter().map(|c| c.item.public_key.identity()).collect();
        let issuers = Issuers::new(&inventory.certificates);
        let mut roles = Roles { leaves: Vec::new(), cas: Vec::new(), duplicates: Vec::new() };
        let mut seen: HashMap<&[u8], usize> = HashMap::with_capacity(inventory.certificates.len());
        for (i, found) in inventory.certificates.iter().enumerate() {
            let cert = &found.item;
            if seen.insert(cert.der.as_slice(), i).is_some() {
                roles.duplicates.push(i);
            } else if request_keys.contains(&cert.public_key.identity()) {
                roles.leaves.push(i);
            } else if chain::looks_like_ca(cert) || issuers.issued_another(i) {
                roles.cas.push(i);
            } else {
                roles.leaves.push(i);
            }
        }
        roles
    }
}

/// Leaf certificates and loose keys by public key.
struct KeyIndex<'a> {
    certificates: HashMap<KeyIdentity<'a>, Vec<usize>>,
    keys: HashMap<KeyIdentity<'a>, Vec<usize>>,
}

impl<'a> KeyIndex<'a> {
    fn new(inventory: &'a Inventory, leaves: &[usize]) -> KeyIndex<'a> {
        let mut certificates: HashMap<KeyIdentity<'_>, Vec<usize>> = HashMap::with_capacity(leaves.len());
        for &i in leaves {
            certificates.entry(inventory.certificates[i].item.public_key.identity()).or_default().push(i);
        }
        let mut keys: HashMap<KeyIdentity<'_>, Vec<usize>> = HashMap::new();
        for (i, k) in inventory.keys.iter().enumerate() {
            keys.entry(k.item.key.identity()).or_default().push(i);
        }
        KeyIndex { certificates, keys }
    }

    fn keys_of(&self, id: &KeyIdentity<'_>) -> Vec<usize> {
        self.keys.get(id).cloned().unwrap_or_default()
    }
}

/// One entry per CSR, with its certificates (verdicts not yet run) and keys; the same CSR in several files is one
/// entry with copies.
fn csr_entries(inventory: &Inventory, index: &KeyIndex<'_>, purpose: Option<Purpose>) -> Vec<CsrEntry> {
    let mut csr_first: HashMap<&[u8], usize> = HashMap::with_capacity(inventory.csrs.len());
    let mut entries: Vec<CsrEntry> = Vec::new();
    for (i, found) in inventory.csrs.iter().enumerate() {
        let csr = &found.item;
        if let Some(&first) = csr_first.get(csr.der.as_slice()) {
            if let Some(e) = entries.iter_mut().rev().find(|e| e.csr == first) {
                e.copies.push(i);
            }
            continue;
        }
        csr_first.insert(csr.der.as_slice(), i);
        let id = csr.public_key.identity();
        entries.push(CsrEntry {
            csr: i,
            purpose: purpose.or_else(|| found.place.file_name.as_deref().and_then(Purpose::from_file_name)),
            certificates: index
                .certificates
                .get(&id)
                .map(|v| v.iter().map(|&c| Paired { certificate: c, verdict: not_yet_checked() }).collect())
                .unwrap_or_default(),
            keys: index.keys_of(&id),
            copies: Vec::new(),
        });
    }
    entries
}

/// Leaf certificates with no CSR: superseded when a CSR names the same subject with another key. A node's CSRs all
/// share its subject, so the CSR of the purpose the certificate looks like (and of its key type) wins.
fn orphans(inventory: &Inventory, entries: &[CsrEntry], leaves: &[usize], index: &KeyIndex<'_>) -> Vec<Orphan> {
    let csrs = &inventory.csrs;
    let csr_keys: HashSet<KeyIdentity<'_>> = entries.iter().map(|e| csrs[e.csr].item.public_key.identity()).collect();
    let purpose_of = |c: usize| csrs[c].place.file_name.as_deref().and_then(Purpose::from_file_name);
    let mut subjects: HashMap<Vec<Vec<(String, String)>>, Vec<usize>> = HashMap::new();
    let mut orphans = Vec::new();
    for &i in leaves {
        let cert = &inventory.certificates[i].item;
        let id = cert.public_key.identity();
        if csr_keys.contains(&id) {
            continue;
        }
        if subjects.is_empty() {
            for e in entries {
                subjects.entry(csrs[e.csr].item.subject.canonical()).or_default().push(e.csr);
            }
        }
        let looks_like = chain::infer_purpose(cert).map(|(p, _)| p);
        let superseded_by = subjects.get(&cert.subject.canonical()).and_then(|candidates| {
            candidates.iter().copied().max_by_key(|&c| {
                let same_purpose = looks_like.is_some() && purpose_of(c) == looks_like;
                let same_type = csrs[c].item.public_key.same_type(&cert.public_key);
                // max_by_key keeps the last of equals: reverse the index so the first CSR wins ties
                (same_purpose, same_type, std::cmp::Reverse(c))
            })
        });
        let purpose = superseded_by.and_then(purpose_of).or(looks_like);
        let cucm_error = match (superseded_by, purpose) {
            (Some(_), _) => Some(cucm::PUBLIC_KEY_MISMATCH.to_string()),
            (None, Some(p)) => p.csr_missing_message(),
            (None, None) => {
                Some("The file /usr/local/platform/.security/<purpose>/keys/<purpose>.csr does not exist".into())
            }
        };
        orphans.push(Orphan { certificate: i, purpose, superseded_by, keys: index.keys_of(&id), cucm_error });
    }
    orphans
}

/// Keys that belong to no CSR, no certificate and no CA certificate.
fn lonely_keys(inventory: &Inventory, entries: &[CsrEntry], orphans: &[Orphan], cas: &[usize]) -> Vec<usize> {
    let used: HashSet<usize> = entries
        .iter()
        .flat_map(|e| e.keys.iter().copied())
        .chain(orphans.iter().flat_map(|o| o.keys.iter().copied()))
        .collect();
    let ca_keys: HashSet<KeyIdentity<'_>> =
        cas.iter().map(|&i| inventory.certificates[i].item.public_key.identity()).collect();
    let keys = &inventory.keys;
    (0..keys.len()).filter(|k| !used.contains(k) && !ca_keys.contains(&keys[*k].item.key.identity())).collect()
}

/// The verdict a pair holds until the parallel pass over the entries runs its checks.
/// "Did this certificate issue another one at hand?", asked only of the few certificates without a CSR: other
/// certificates are found by the CN of their issuer, then judged by [`chain::could_issue`].
struct Issuers<'a> {
    certificates: &'a [Found<Certificate>],
    by_issuer_cn: HashMap<String, Vec<usize>>,
}

impl<'a> Issuers<'a> {
    fn new(certificates: &'a [Found<Certificate>]) -> Issuers<'a> {
        let mut by_issuer_cn: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, found) in certificates.iter().enumerate() {
            let cn = found.item.issuer.common_name().map(|cn| cn.raw().to_lowercase()).unwrap_or_default();
            by_issuer_cn.entry(cn).or_default().push(i);
        }
        Issuers { certificates, by_issuer_cn }
    }

    fn issued_another(&self, j: usize) -> bool {
        let candidate = &self.certificates[j].item;
        let cn = candidate.subject.common_name().map(|cn| cn.raw().to_lowercase()).unwrap_or_default();
        self.by_issuer_cn.get(&cn).into_iter().flatten().any(|&i| {
            let issued = &self.certificates[i].item;
            i != j && issued.der != candidate.der && chain::could_issue(candidate, issued)
        })
    }
}

fn not_yet_checked() -> Verdict {
    Verdict { matched: false, cucm_error: None, failed_check: None, message: None, warnings: Vec::new() }
}

fn verdict(findings: &[checks::Finding]) -> Verdict {
    let head = checks::headline(findings);
    let warnings: Vec<CheckId> = findings.iter().filter(|f| f.status == Status::Warn).map(|f| f.id).collect();
    let message = head
        .map(|f| f.message.clone())
        .or_else(|| findings.iter().find(|f| f.status == Status::Warn).map(|f| f.message.clone()));
    Verdict {
        matched: head.is_none(),
        cucm_error: checks::cucm_error(findings).map(str::to_string),
        failed_check: head.map(|f| f.id),
        message,
        warnings,
    }
}
