//! Chains: who issued whom, by name and key identifier, with every signature verified. Used by `match` (the
//! `chain` check) and by `chain` (the upload plan).

use std::collections::HashMap;

use crate::analysis::verify::{self, Verification};
use crate::cucm::Purpose;
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::model::extensions::{KeyPurpose, KeyUsageBit};
use crate::untrusted::Untrusted;

/// Whether `candidate` could have issued `cert`: its subject is `cert`'s issuer and, when both carry them, the
/// authority key identifier of `cert` names `candidate`'s subject key identifier.
pub fn could_issue(candidate: &Certificate, cert: &Certificate) -> bool {
    if !candidate.subject.same_as(&cert.issuer) {
        return false;
    }
    match (&cert.extensions.authority_key_id, &candidate.extensions.subject_key_id) {
        (Some(aki), Some(ski)) => aki == ski,
        _ => true,
    }
}

/// One step up a path: the certificate at `index` was issued by the one at `issuer` (indices into the pool).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub index: usize,
    pub issuer: Option<usize>,
    /// The signature of `index` checked with `issuer`'s key (None when no issuer was found).
    pub signature: Option<Verification>,
    /// How many certificates in the pool could have issued it (more than one: cross-signing or duplicates).
    pub candidates: usize,
}

/// The path from a certificate up to a self-signed root, or as far as the pool allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Path {
    pub links: Vec<Link>,
    /// The last certificate is self-issued and verifies its own signature.
    pub reaches_root: bool,
}

impl Path {
    /// The first link whose signature does not verify.
    pub fn bad_signature(&self) -> Option<&Link> {
        self.links.iter().find(|l| l.signature == Some(Verification::Invalid))
    }
}

/// Walks up from `pool[start]`. Among several possible issuers it prefers one whose signature verifies; it stops
/// at a self-signed certificate, at a missing issuer, or when a certificate would repeat (a loop).
pub fn path_from(start: usize, pool: &[Certificate]) -> Path {
    let index = Pool::new(pool);
    let mut links = Vec::new();
    let mut seen = std::collections::HashSet::from([start]);
    let mut current = start;
    loop {
        let up = index.up(current);
        let link = up.link(current);
        links.push(link);
        match up {
            Up::Root => return Path { links, reaches_root: true },
            Up::Missing => return Path { links, reaches_root: false },
            Up::Issuer { issuer, .. } => {
                if !seen.insert(issuer) {
                    return Path { links, reaches_root: false };
                }
                current = issuer;
            }
        }
    }
}

/// The most signatures tried for one link: a set where thousands of certificates share a name and carry no key
/// identifier would otherwise cost a verification per pair.
const MAX_TRIED_ISSUERS: usize = 64;

/// A canonical name, numbered: names are compared once, when the pool is indexed, never per pair.
type NameId = usize;

/// The certificates at hand, indexed once by subject and key identifier, so that "who could have issued this?"
/// is a look-up, not a scan: `chain` stays near-linear in the number of certificates.
pub struct Pool<'a> {
    certs: &'a [Certificate],
    issuer: Vec<NameId>,
    /// Certificates by subject, in input order.
    by_subject: HashMap<NameId, Vec<usize>>,
    /// Certificates by subject and subject key identifier; those without one under `None`.
    by_key_id: HashMap<(NameId, Option<&'a [u8]>), Vec<usize>>,
}

/// What lies above a certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Up {
    /// It is self-signed.
    Root,
    /// No certificate at hand could have issued it.
    Missing,
    /// The issuer chosen (one whose signature verifies, if any), the check of the signature, and how many
    /// certificates could have issued it.
    Issuer { issuer: usize, signature: Verification, candidates: usize },
}

impl Up {
    fn link(&self, index: usize) -> Link {
        match self {
            Up::Root => Link { index, issuer: Some(index), signature: Some(Verification::Valid), candidates: 1 },
            Up::Missing => Link { index, issuer: None, signature: None, candidates: 0 },
            Up::Issuer { issuer, signature, candidates } => {
                Link { index, issuer: Some(*issuer), signature: Some(signature.clone()), candidates: *candidates }
            }
        }
    }
}

impl<'a> Pool<'a> {
    pub fn new(certs: &'a [Certificate]) -> Pool<'a> {
        let mut names: HashMap<Vec<Vec<(String, String)>>, NameId> = HashMap::new();
        let mut id = |dn: &crate::model::DistinguishedName| {
            let next = names.len();
            *names.entry(dn.canonical()).or_insert(next)
        };
        let subject: Vec<NameId> = certs.iter().map(|c| id(&c.subject)).collect();
        let issuer: Vec<NameId> = certs.iter().map(|c| id(&c.issuer)).collect();
        let mut by_subject: HashMap<NameId, Vec<usize>> = HashMap::new();
        let mut by_key_id: HashMap<(NameId, Option<&[u8]>), Vec<usize>> = HashMap::new();
        for (i, c) in certs.iter().enumerate() {
            by_subject.entry(subject[i]).or_default().push(i);
            let ski = c.extensions.subject_key_id.as_ref().map(|k| k.0.as_slice());
            by_key_id.entry((subject[i], ski)).or_default().push(i);
        }
        Pool { certs, issuer, by_subject, by_key_id }
    }

    /// What lies above every certificate, worked out in parallel: the signature checks are most of the work.
    pub fn all_ups(&self) -> Vec<Up> {
        use rayon::prelude::*;
        (0..self.certs.len()).into_par_iter().map(|i| self.up(i)).collect()
    }

    /// Every certificate that could have issued `i` ([`could_issue`]), itself and identical copies excepted, in
    /// input order.
    pub fn candidates(&self, i: usize) -> Vec<usize> {
        let cert = &self.certs[i];
        let name = self.issuer[i];
        let mut out: Vec<usize> = match &cert.extensions.authority_key_id {
            Some(aki) => {
                let mut both = self.subjects_with_key_id(name, &aki.0);
                both.sort_unstable();
                both
            }
            None => self.by_subject.get(&name).cloned().unwrap_or_default(),
        };
        out.retain(|&j| j != i && self.certs[j].der != cert.der);
        out
    }

    /// The certificates named `name` whose subject key identifier is `key_id`, or that carry none: those an
    /// authority key identifier of `key_id` allows as issuer ([`could_issue`]).
    fn subjects_with_key_id(&self, name: NameId, key_id: &[u8]) -> Vec<usize> {
        let with_id = self.by_key_id.get(&(name, Some(key_id))).into_iter().flatten();
        let without = self.by_key_id.get(&(name, None)).into_iter().flatten();
        with_id.chain(without).copied().collect()
    }

    /// For every certificate, whether it could have issued another of the pool ([`could_issue`]). Linear, even
    /// when thousands share a name and carry no key identifier: those are counted per name, not paired.
    pub fn issuers(&self) -> Vec<bool> {
        let n = self.certs.len();
        let mut issues = vec![false; n];
        // certificates without an authority key identifier, by the issuer name they give: how many, and the first
        let mut by_name_only: HashMap<NameId, (usize, usize)> = HashMap::new();
        for i in 0..n {
            match &self.certs[i].extensions.authority_key_id {
                Some(aki) => {
                    for j in self.subjects_with_key_id(self.issuer[i], &aki.0) {
                        if j != i {
                            issues[j] = true;
                        }
                    }
                }
                None => {
                    let entry = by_name_only.entry(self.issuer[i]).or_insert((0, i));
                    entry.0 += 1;
                }
            }
        }
        for (name, (count, first)) in by_name_only {
            for &j in self.by_subject.get(&name).into_iter().flatten() {
                if count >= 2 || j != first {
                    issues[j] = true;
                }
            }
        }
        issues
    }

    /// What lies above `i`: it prefers an issuer whose signature verifies, then one that cannot be checked, then
    /// the first; at most [`MAX_TRIED_ISSUERS`] signatures are tried.
    pub fn up(&self, i: usize) -> Up {
        if is_self_signed(&self.certs[i]) {
            return Up::Root;
        }
        let candidates = self.candidates(i);
        let cert = &self.certs[i];
        let mut unsupported = None;
        let mut first = None;
        for &j in candidates.iter().take(MAX_TRIED_ISSUERS) {
            let v = verify::certificate_signed_by(cert, &self.certs[j].public_key);
            if v.is_valid() {
                return Up::Issuer { issuer: j, signature: v, candidates: candidates.len() };
            }
            if unsupported.is_none() && matches!(v, Verification::Unsupported(_)) {
                unsupported = Some((j, v.clone()));
            }
            if first.is_none() {
                first = Some((j, v));
            }
        }
        match unsupported.or(first) {
            Some((issuer, signature)) => Up::Issuer { issuer, signature, candidates: candidates.len() },
            None => Up::Missing,
        }
    }
}

/// Self-issued and its own key verifies its signature: a root (or a self-signed server certificate).
pub fn is_self_signed(cert: &Certificate) -> bool {
    cert.is_self_issued() && verify::certificate_signed_by(cert, &cert.public_key).is_valid()
}

/// A certificate's place in the upload plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Root,
    Intermediate,
    Leaf,
}

/// One line of the upload plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Index into [`Analysis::certificates`].
    pub index: usize,
    pub role: Role,
    /// The index of the certificate that issued it, and whether its signature verifies.
    pub issuer: Option<usize>,
    pub signature: Option<Verification>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Would make an upload fail.
    Fail,
    Warn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagKind {
    IssuerMissing,
    BadSignature,
    UnverifiableSignature,
    Expired,
    NotYetValid,
    CaWithoutBasicConstraints,
    LeafIsCa,
    CapfNotCa,
    Duplicate,
    Unrelated,
    WeakHash,
    SeveralPaths,
    SameCommonName,
    Loop,
}

impl FlagKind {
    /// The stable id (JSON `flags[].kind`, and the text's second column).
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::IssuerMissing => "issuer-missing",
            FlagKind::BadSignature => "bad-signature",
            FlagKind::UnverifiableSignature => "unverifiable-signature",
            FlagKind::Expired => "expired",
            FlagKind::NotYetValid => "not-yet-valid",
            FlagKind::CaWithoutBasicConstraints => "ca-without-basic-constraints",
            FlagKind::LeafIsCa => "leaf-is-ca",
            FlagKind::CapfNotCa => "capf-not-ca",
            FlagKind::Duplicate => "duplicate",
            FlagKind::Unrelated => "unrelated",
            FlagKind::WeakHash => "weak-hash",
            FlagKind::SeveralPaths => "several-paths",
            FlagKind::SameCommonName => "same-common-name",
            FlagKind::Loop => "loop",
        }
    }
}

/// Something about the set of certificates that an admin must know before uploading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub kind: FlagKind,
    pub severity: Severity,
    /// Index into [`Analysis::certificates`] of the certificate concerned.
    pub index: usize,
    pub message: String,
    /// What happens at upload time because of it.
    pub consequence: String,
}

/// How the purpose of the plan was decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PurposeOrigin {
    Flag,
    /// Read from the leaf; the text says from what and what else it could be.
    Inferred(String),
    Unknown,
}

/// Everything `chain` found in a set of certificates.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// Each certificate once (duplicates removed), in input order.
    pub certificates: Vec<Certificate>,
    /// The input each certificate came from.
    pub origins: Vec<Untrusted>,
    /// The upload plan, in order: CA certificates root first, then the leaves.
    pub plan: Vec<Step>,
    /// Certificates that belong to no chain of the others.
    pub unrelated: Vec<usize>,
    /// Certificates on another possible path (cross-signing) that the plan does not need.
    pub alternatives: Vec<usize>,
    pub flags: Vec<Flag>,
    pub purpose: Option<Purpose>,
    pub purpose_origin: PurposeOrigin,
    /// For each certificate, whether it is self-signed (verified once).
    pub self_signed: Vec<bool>,
    /// For each certificate, its number in the plan (1-based), if it is in the plan.
    pub step_number: Vec<Option<usize>>,
}

impl Analysis {
    /// No flag would make an upload fail.
    pub fn complete(&self) -> bool {
        !self.flags.iter().any(|f| f.severity == Severity::Fail)
    }

    /// `tomcat-trust` for a CA, `tomcat` for a leaf (or placeholders when the purpose is unknown).
    pub fn upload_as(&self, role: Role) -> String {
        match (role, self.purpose) {
            (Role::Leaf, Some(p)) => p.name().to_string(),
            (Role::Leaf, None) => "<purpose>".to_string(),
            (_, Some(p)) => p.trust_store().map(str::to_string).unwrap_or_else(|| format!("{}-trust", p.name())),
            (_, None) => "<purpose>-trust".to_string(),
        }
    }
}

/// A CA certificate in the sense of an issuer (CA:TRUE, may sign, not a TLS server): CAPF's certificate is a
/// CA but a leaf.
pub fn looks_like_ca(cert: &Certificate) -> bool {
    let ext = &cert.extensions;
    let signs = ext.key_usage.as_ref().is_none_or(|ku| ku.has(KeyUsageBit::KeyCertSign));
    let server = ext.extended_key_usage.as_ref().is_some_and(|e| e.has(KeyPurpose::ServerAuth));
    cert.is_ca() && signs && !server
}

/// The purpose a leaf certificate looks like, and why.
pub fn infer_purpose(leaf: &Certificate) -> Option<(Purpose, String)> {
    let ext = &leaf.extensions;
    let eku = ext.extended_key_usage.as_ref();
    let cert_sign = ext.key_usage.as_ref().is_some_and(|ku| ku.has(KeyUsageBit::KeyCertSign));
    let cn = leaf.subject.common_name().map(Untrusted::raw).unwrap_or("").to_ascii_lowercase();
    if cn.starts_with("capf") || (leaf.is_ca() && cert_sign && eku.is_some_and(|e| e.has(KeyPurpose::ServerAuth))) {
        return Some((Purpose::Capf, "a CA certificate with Certificate Sign and serverAuth, as CAPF's".into()));
    }
    if eku.is_some_and(|e| e.lists(KeyPurpose::IpsecEndSystem)) {
        return Some((
            Purpose::Ipsec,
            "its extended key usage ipsecEndSystem (IM and Presence's cup certificates may carry it too)".into(),
        ));
    }
    if leaf.public_key.is_ec() {
        return Some((Purpose::TomcatEcdsa, "its EC key (CallManager-ECDSA certificates look the same)".into()));
    }
    if leaf.public_key.is_rsa() && eku.is_none_or(|e| e.has(KeyPurpose::ServerAuth)) {
        return Some((
            Purpose::Tomcat,
            "its RSA key and serverAuth usage (CallManager and TVS certificates look the same)".into(),
        ));
    }
    None
}

/// How a walk up from a certificate ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum End {
    Root,
    Missing,
    Loop,
}

/// Builds the chains among `certs` (with the input each came from), the upload plan and every flag. Near-linear
/// in the number of certificates: issuers are looked up in a [`Pool`], each certificate's way up is computed once,
/// and flags about a group (duplicates, CA certificates sharing a CN) are given once per group.
pub fn analyze(
    certs: Vec<(Certificate, Untrusted)>,
    purpose_flag: Option<Purpose>,
    at: time::OffsetDateTime,
) -> Analysis {
    let (certificates, origins, mut flags) = without_duplicates(certs);
    let n = certificates.len();
    let pool = Pool::new(&certificates);
    let walks = Walks::build(&pool);
    let mut plan = walks.plan;
    let unrelated = walks.unrelated;
    let first_leaf = plan.iter().find(|s| s.role == Role::Leaf).map(|s| s.index);
    let (purpose, purpose_origin) = match (purpose_flag, first_leaf.and_then(|i| infer_purpose(&certificates[i]))) {
        (Some(p), _) => (Some(p), PurposeOrigin::Flag),
        (None, Some((p, why))) => (Some(p), PurposeOrigin::Inferred(why)),
        (None, None) => (None, PurposeOrigin::Unknown),
    };
    let trust = purpose.and_then(|p| p.trust_store()).unwrap_or("<purpose>-trust").to_string();
    flags.extend(top_flags(&certificates, &walks.tops, &trust));
    flags.extend(step_flags(&certificates, &plan, purpose, at));
    flags.extend(several_paths_flags(&pool, &walks.ups));
    flags.extend(same_cn_flags(&certificates, &trust));
    for &u in &unrelated {
        flags.push(Flag {
            kind: FlagKind::Unrelated,
            severity: Severity::Warn,
            index: u,
            message: format!("{} ({}) belongs to no chain of the others", certificates[u].display_name(), origins[u]),
            consequence: "it is not needed for this upload; leave it out".into(),
        });
    }
    flags.sort_by_key(|f| f.severity);
    let mut in_plan = vec![false; n];
    plan.iter().for_each(|s| in_plan[s.index] = true);
    let mut is_unrelated = vec![false; n];
    unrelated.iter().for_each(|&u| is_unrelated[u] = true);
    let alternatives = (0..n).filter(|&i| !is_unrelated[i] && !in_plan[i]).collect();
    let self_signed = walks.all.iter().map(|u| *u == Up::Root).collect();
    plan.shrink_to_fit();
    let mut step_number = vec![None; n];
    plan.iter().enumerate().for_each(|(k, s)| step_number[s.index] = Some(k + 1));
    Analysis {
        certificates,
        origins,
        plan,
        unrelated,
        alternatives,
        flags,
        purpose,
        purpose_origin,
        self_signed,
        step_number,
    }
}

/// Each certificate once, in input order; a certificate given more than once is one flag, naming where else.
fn without_duplicates(certs: Vec<(Certificate, Untrusted)>) -> (Vec<Certificate>, Vec<Untrusted>, Vec<Flag>) {
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
            Flag {
                kind: FlagKind::Duplicate,
                severity: Severity::Warn,
                index: first,
                message: format!(
                    "{} appears {times} (also in {})",
                    certificates[first].display_name(),
                    some_of(&others)
                ),
                consequence: "upload it once; the plan lists it once".into(),
            }
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

/// The walks up from every certificate that issued none of the others, each certificate's way up computed once.
struct Walks {
    /// The upload plan: every walk reversed (root first), CAs before leaves, each certificate once.
    plan: Vec<Step>,
    /// Starts whose walk is that certificate alone, when real chains exist beside it.
    unrelated: Vec<usize>,
    /// Where the walks end, once per top certificate: (top, how, whether the top is itself the walk's start).
    tops: Vec<(usize, End, bool)>,
    /// The way up of every certificate walked through.
    ups: Vec<(usize, Up)>,
    /// The way up of every certificate.
    all: Vec<Up>,
}

impl Walks {
    fn build(pool: &Pool<'_>) -> Walks {
        let n = pool.certs.len();
        let issues_another = pool.issuers();
        let up: Vec<Up> = pool.all_ups();
        let mut starts: Vec<usize> = (0..n).filter(|&j| !issues_another[j]).collect();
        if starts.is_empty() && n > 0 {
            // every one could have issued another (same-named CA certificates without key identifiers, or a loop):
            // walk from the self-signed ones, or from the first
            starts = (0..n).filter(|&i| up[i] == Up::Root).collect();
            if starts.is_empty() {
                starts.push(0);
            }
        }
        // the top of the walk through each certificate and how it ends, once known
        let mut top: Vec<Option<(usize, End)>> = vec![None; n];
        let mut ups = Vec::new();
        let mut walks: Vec<(usize, Vec<usize>, usize, End)> = Vec::new(); // (start, new part, top, end)
        for &start in &starts {
            let mut part = vec![start];
            let mut on_walk = std::collections::HashSet::from([start]);
            let mut current = start;
            let (top_index, end) = loop {
                if let Some(known) = top[current].filter(|_| current != start) {
                    part.pop(); // already placed by an earlier walk
                    break known;
                }
                let step = up[current].clone();
                ups.push((current, step.clone()));
                match step {
                    Up::Root => break (current, End::Root),
                    Up::Missing => break (current, End::Missing),
                    Up::Issuer { issuer, .. } if !on_walk.insert(issuer) => break (current, End::Loop),
                    Up::Issuer { issuer, .. } => {
                        current = issuer;
                        part.push(issuer);
                    }
                }
            };
            for &i in &part {
                top[i] = Some((top_index, end));
            }
            walks.push((start, part, top_index, end));
        }
        let single = |start: usize| matches!(up[start], Up::Root | Up::Missing);
        let any_chain = starts.iter().any(|&s| !single(s));
        let unrelated: Vec<usize> =
            if any_chain { starts.iter().copied().filter(|&s| single(s)).collect() } else { Vec::new() };
        let mut is_unrelated = vec![false; n];
        unrelated.iter().for_each(|&u| is_unrelated[u] = true);
        let mut planned = vec![false; n];
        let (mut cas, mut leaves) = (Vec::new(), Vec::new());
        let mut tops = Vec::new();
        let mut top_seen = vec![false; n];
        for (start, part, top_index, end) in walks.iter().filter(|w| !is_unrelated[w.0]) {
            if !top_seen[*top_index] {
                top_seen[*top_index] = true;
                tops.push((*top_index, *end, *top_index == *start));
            }
            let alone = single(*start);
            for (pos, &index) in part.iter().enumerate().rev() {
                if planned[index] {
                    continue;
                }
                planned[index] = true;
                let cert = &pool.certs[index];
                let link = up[index].link(index);
                let self_signed = link.issuer == Some(index);
                let role = if self_signed && (pos > 0 || looks_like_ca(cert) || alone) {
                    Role::Root
                } else if pos > 0 || looks_like_ca(cert) {
                    Role::Intermediate
                } else {
                    Role::Leaf
                };
                let step = Step {
                    index,
                    role,
                    issuer: link.issuer.filter(|&i| i != index),
                    signature: if self_signed { None } else { link.signature },
                };
                if role == Role::Leaf { leaves.push(step) } else { cas.push(step) }
            }
        }
        cas.extend(leaves);
        Walks { plan: cas, unrelated, tops, ups, all: up }
    }
}

/// The issuer missing at the top of a chain, or a chain that loops: once per top certificate.
fn top_flags(certificates: &[Certificate], tops: &[(usize, End, bool)], trust: &str) -> Vec<Flag> {
    let name = |i: usize| certificates[i].display_name();
    let mut flags = Vec::new();
    for &(top, end, is_start) in tops {
        match end {
            End::Missing => {
                let consequence = if is_start {
                    format!("uploading it now gives \"{}\"", crate::cucm::CA_NOT_IN_TRUST_STORE)
                } else {
                    format!(
                        "unless that CA is already in {trust}, the uploads give \"{}\"",
                        crate::cucm::CA_NOT_IN_TRUST_STORE
                    )
                };
                flags.push(Flag {
                    kind: FlagKind::IssuerMissing,
                    severity: Severity::Fail,
                    index: top,
                    message: format!(
                        "the issuer of {} ({}) is not among the certificates",
                        name(top),
                        certificates[top].issuer.to_openssl_string()
                    ),
                    consequence,
                });
            }
            End::Loop => flags.push(Flag {
                kind: FlagKind::Loop,
                severity: Severity::Fail,
                index: top,
                message: format!("the issuers of {} go round in a loop", name(top)),
                consequence: "no root can be found; the chain cannot be trusted".into(),
            }),
            End::Root => {}
        }
    }
    flags
}

/// Flags about each step of the plan: its signature, its dates, its basic constraints, its hash.
fn step_flags(
    certificates: &[Certificate],
    plan: &[Step],
    purpose: Option<Purpose>,
    at: time::OffsetDateTime,
) -> Vec<Flag> {
    let name = |i: usize| certificates[i].display_name();
    let mut issues_in_plan = vec![false; certificates.len()];
    plan.iter().filter_map(|s| s.issuer).for_each(|i| issues_in_plan[i] = true);
    let mut flags = Vec::new();
    for step in plan {
        let cert = &certificates[step.index];
        match (&step.signature, step.issuer) {
            (Some(Verification::Invalid), Some(issuer)) => flags.push(Flag {
                kind: FlagKind::BadSignature,
                severity: Severity::Fail,
                index: step.index,
                message: format!("the signature on {} does not verify with the key of {}", name(step.index), name(issuer)),
                consequence: format!(
                    "{} is not really issued by {}: its upload gives \"{}\" (the file was altered, or it is another CA's certificate of the same name)",
                    name(step.index),
                    name(issuer),
                    crate::cucm::CA_NOT_IN_TRUST_STORE
                ),
            }),
            (Some(Verification::Unsupported(reason)), Some(_)) => flags.push(Flag {
                kind: FlagKind::UnverifiableSignature,
                severity: Severity::Warn,
                index: step.index,
                message: format!("the signature on {} cannot be checked: {reason}", name(step.index)),
                consequence: "ucert cannot vouch for this link; CUCM may still accept it".into(),
            }),
            _ => {}
        }
        match cert.validity_at(at) {
            ValidityStatus::Expired { .. } => flags.push(Flag {
                kind: FlagKind::Expired,
                severity: Severity::Fail,
                index: step.index,
                message: format!("{} {}", name(step.index), cert.validity_at(at).describe()),
                consequence: "CUCM cannot upload an expired certificate; get the current one from the CA".into(),
            }),
            ValidityStatus::NotYetValid { .. } => flags.push(Flag {
                kind: FlagKind::NotYetValid,
                severity: Severity::Fail,
                index: step.index,
                message: format!("{} is {}", name(step.index), cert.validity_at(at).describe()),
                consequence: "the CA's or CUCM's clock is wrong (check NTP); it cannot be used until then".into(),
            }),
            ValidityStatus::Unknown => flags.push(Flag {
                kind: FlagKind::Expired,
                severity: Severity::Fail,
                index: step.index,
                message: format!("{}: a validity date is unreadable", name(step.index)),
                consequence: format!("CUCM cannot read it: \"{}\"", crate::cucm::READ_ERROR),
            }),
            ValidityStatus::Valid { .. } => {}
        }
        if step.role != Role::Leaf && !cert.is_ca() && issues_in_plan[step.index] {
            flags.push(Flag {
                kind: FlagKind::CaWithoutBasicConstraints,
                severity: Severity::Warn,
                index: step.index,
                message: format!("{} issues certificates but has no basicConstraints CA:TRUE", name(step.index)),
                consequence:
                    "TLS clients (and CUCM's trust checks) may refuse it as an issuer; ask the CA to reissue it as a CA"
                        .into(),
            });
        }
        if step.role == Role::Leaf && cert.is_ca() && purpose != Some(Purpose::Capf) {
            flags.push(Flag {
                kind: FlagKind::LeafIsCa,
                severity: Severity::Warn,
                index: step.index,
                message: format!("the leaf {} carries basicConstraints CA:TRUE", name(step.index)),
                consequence:
                    "a server certificate should not be a CA (only CAPF's is); ask the CA for an end-entity certificate"
                        .into(),
            });
        }
        if step.role == Role::Leaf && purpose == Some(Purpose::Capf) && !cert.is_ca() {
            flags.push(Flag {
                kind: FlagKind::CapfNotCa,
                severity: Severity::Warn,
                index: step.index,
                message: format!("the CAPF certificate {} is not a CA (no CA:TRUE, pathlen:0)", name(step.index)),
                consequence:
                    "CAPF signs phone certificates with it; without CA:TRUE and Certificate Sign TLS connections fail"
                        .into(),
            });
        }
        if step.issuer.is_some() && cert.signature_algorithm.hash.is_some_and(|h| h.is_weak()) {
            flags.push(Flag {
                kind: FlagKind::WeakHash,
                severity: Severity::Warn,
                index: step.index,
                message: format!("{} is signed with {}", name(step.index), cert.signature_algorithm.name),
                consequence: "SHA-1 and MD5 signatures are broken; CUCM's guide asks for SHA-256".into(),
            });
        }
    }
    flags
}

/// A certificate that more than one certificate at hand could have issued (cross-signing): once per certificate.
fn several_paths_flags(pool: &Pool<'_>, ups: &[(usize, Up)]) -> Vec<Flag> {
    let certificates = pool.certs;
    let name = |i: usize| certificates[i].display_name();
    let mut flagged = vec![false; certificates.len()];
    let mut flags = Vec::new();
    for (index, up) in ups {
        let Up::Issuer { candidates, .. } = up else { continue };
        if *candidates <= 1 || flagged[*index] {
            continue;
        }
        flagged[*index] = true;
        let others: Vec<String> = pool
            .candidates(*index)
            .into_iter()
            .map(|j| {
                let by = certificates[j].issuer.common_name().map(Untrusted::escaped).unwrap_or("?".into());
                format!("{} (issued by {by})", name(j))
            })
            .collect();
        flags.push(Flag {
            kind: FlagKind::SeveralPaths,
            severity: Severity::Warn,
            index: *index,
            message: format!("{} can be issued by more than one certificate (cross-signing): {}", name(*index), some_of(&others)),
            consequence: "the plan follows the path that verifies up to a root; the other certificate of the same name is an alternative, not an addition".into(),
        });
    }
    flags
}

/// CA certificates that share a CN (case-insensitive), which a trust store keeps one of: once per CN.
fn same_cn_flags(certificates: &[Certificate], trust: &str) -> Vec<Flag> {
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
        flags.push(Flag {
            kind: FlagKind::SameCommonName,
            severity: Severity::Warn,
            index: members[1],
            message: format!("{how_many} CA certificates share the CN \"{cn}\""),
            consequence: format!(
                "{trust} keeps one certificate per CN: only one of them can be stored (see 'ucert trust')"
            ),
        });
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::{at, cert};

    #[test]
    fn could_issue_needs_the_name_and_a_matching_key_identifier() {
        let root = cert("ca/root-ca.pem");
        let issuing = cert("ca/issuing-ca.pem");
        let leaf = cert("cucm/tomcat.pem");
        assert!(could_issue(&root, &issuing));
        assert!(could_issue(&issuing, &leaf));
        assert!(!could_issue(&root, &leaf), "wrong name");
        // another issuing CA of the same root: not the leaf's issuer
        let other = cert("chain/issuing-ca-2.pem");
        assert!(!could_issue(&other, &leaf));
    }

    #[test]
    fn a_path_climbs_to_the_root_and_verifies_each_link() {
        let pool = vec![cert("cucm/tomcat.pem"), cert("ca/root-ca.pem"), cert("ca/issuing-ca.pem")];
        let path = path_from(0, &pool);
        assert!(path.reaches_root);
        let order: Vec<usize> = path.links.iter().map(|l| l.index).collect();
        assert_eq!(order, [0, 2, 1]);
        assert!(path.links.iter().all(|l| l.signature == Some(Verification::Valid)));
        assert!(path.bad_signature().is_none());
    }

    fn fixture_certs() -> Vec<Certificate> {
        let mut out = Vec::new();
        for dir in ["ca", "chain", "cucm", "trust"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(dir);
            for entry in std::fs::read_dir(path).unwrap() {
                let path = entry.unwrap().path();
                if let Ok(decoded) = crate::input::load(&crate::input::Source::Path(path), Default::default()) {
                    for located in decoded.objects {
                        match located.object {
                            crate::input::Object::Certificate(c) => out.push(*c),
                            crate::input::Object::Pkcs7(list) => out.extend(list),
                            _ => {}
                        }
                    }
                }
            }
        }
        out.dedup_by(|a, b| a.der == b.der);
        out
    }

    #[test]
    fn the_index_agrees_with_could_issue_pair_by_pair() {
        let certs = fixture_certs();
        assert!(certs.len() > 50, "{}", certs.len());
        let pool = Pool::new(&certs);
        let issuers = pool.issuers();
        for (i, cert) in certs.iter().enumerate() {
            let brute: Vec<usize> = (0..certs.len())
                .filter(|&j| j != i && could_issue(&certs[j], cert) && certs[j].der != cert.der)
                .collect();
            assert_eq!(pool.candidates(i), brute, "candidates of #{i}");
            let issues = (0..certs.len()).any(|k| k != i && could_issue(cert, &certs[k]));
            assert_eq!(issuers[i], issues, "issuers() of #{i}");
        }
    }

    #[test]
    fn same_named_cas_without_key_identifiers_are_planned_as_roots() {
        let certs: Vec<(Certificate, Untrusted)> = crate::input::load(
            &crate::input::Source::Path(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/chain/same-cn-mesh-noid.pem"),
            ),
            Default::default(),
        )
        .unwrap()
        .objects
        .into_iter()
        .filter_map(|l| match l.object {
            crate::input::Object::Certificate(c) => Some((*c, Untrusted::new("mesh"))),
            _ => None,
        })
        .collect();
        let a = analyze(certs, None, at());
        assert_eq!(a.plan.len(), 5);
        assert!(a.plan.iter().all(|s| s.role == Role::Root));
        let same: Vec<&Flag> = a.flags.iter().filter(|f| f.kind == FlagKind::SameCommonName).collect();
        assert_eq!(same.len(), 1, "one flag for the group");
        assert!(same[0].message.starts_with("5 CA certificates share the CN"));
    }

    #[test]
    fn analysis_orders_cas_root_first_and_leaves_last() {
        let certs = ["cucm/tomcat.pem", "ca/issuing-ca.pem", "ca/root-ca.pem", "cucm/TVS.pem"]
            .iter()
            .map(|f| (cert(f), Untrusted::new(*f)))
            .collect();
        let a = analyze(certs, None, at());
        let roles: Vec<Role> = a.plan.iter().map(|s| s.role).collect();
        assert_eq!(roles, [Role::Root, Role::Intermediate, Role::Leaf, Role::Leaf]);
        assert!(a.complete());
        assert_eq!(a.upload_as(Role::Root), "tomcat-trust");
    }
}
