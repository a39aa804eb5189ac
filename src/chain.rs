//! Chains: who issued whom, by name and key identifier, with every signature verified. Used by `match` (the
//! `chain` check) and by `chain` (the upload plan).

use crate::cucm::Purpose;
use crate::model::Certificate;
use crate::model::certificate::ValidityStatus;
use crate::untrusted::Untrusted;
use crate::verify::Verification;

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
    let mut links = Vec::new();
    let mut seen = vec![start];
    let mut current = start;
    loop {
        let cert = &pool[current];
        if is_self_signed(cert) {
            links.push(Link {
                index: current,
                issuer: Some(current),
                signature: Some(Verification::Valid),
                candidates: 1,
            });
            return Path { links, reaches_root: true };
        }
        let candidates: Vec<usize> = (0..pool.len())
            .filter(|&i| i != current && could_issue(&pool[i], cert))
            .filter(|&i| pool[i].der != cert.der)
            .collect();
        let checked: Vec<(usize, Verification)> =
            candidates.iter().map(|&i| (i, cert.verify_with(&pool[i].public_key))).collect();
        let best = checked
            .iter()
            .find(|(_, v)| v.is_valid())
            .or_else(|| checked.iter().find(|(_, v)| matches!(v, Verification::Unsupported(_))))
            .or_else(|| checked.first())
            .cloned();
        match best {
            None => {
                links.push(Link { index: current, issuer: None, signature: None, candidates: 0 });
                return Path { links, reaches_root: false };
            }
            Some((issuer, signature)) => {
                links.push(Link {
                    index: current,
                    issuer: Some(issuer),
                    signature: Some(signature),
                    candidates: candidates.len(),
                });
                if seen.contains(&issuer) {
                    return Path { links, reaches_root: false };
                }
                seen.push(issuer);
                current = issuer;
            }
        }
    }
}

/// Self-issued and its own key verifies its signature: a root (or a self-signed server certificate).
pub fn is_self_signed(cert: &Certificate) -> bool {
    cert.is_self_issued() && cert.verify_with(&cert.public_key).is_valid()
}

/// A certificate's place in the upload plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Would make an upload fail.
    Fail,
    Warn,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
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

/// Something about the set of certificates that an admin must know before uploading.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub severity: Severity,
    /// Index into [`Analysis::certificates`] of the certificate concerned.
    #[serde(skip)]
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
    let signs = ext.key_usage.as_ref().is_none_or(|ku| ku.has("keyCertSign"));
    let server = ext.extended_key_usage.as_ref().is_some_and(|e| e.has("serverAuth"));
    cert.is_ca() && signs && !server
}

/// The purpose a leaf certificate looks like, and why.
pub fn infer_purpose(leaf: &Certificate) -> Option<(Purpose, String)> {
    let ext = &leaf.extensions;
    let eku = ext.extended_key_usage.as_ref();
    let cert_sign = ext.key_usage.as_ref().is_some_and(|ku| ku.has("keyCertSign"));
    let cn = leaf.subject.common_name().map(Untrusted::raw).unwrap_or("").to_ascii_lowercase();
    if cn.starts_with("capf") || (leaf.is_ca() && cert_sign && eku.is_some_and(|e| e.has("serverAuth"))) {
        return Some((Purpose::Capf, "a CA certificate with Certificate Sign and serverAuth, as CAPF's".into()));
    }
    if eku.is_some_and(|e| e.purposes.iter().any(|p| p == "ipsecEndSystem")) {
        return Some((Purpose::Ipsec, "its extended key usage ipsecEndSystem".into()));
    }
    if leaf.public_key.algorithm() == "ec" {
        return Some((Purpose::TomcatEcdsa, "its EC key (CallManager-ECDSA certificates look the same)".into()));
    }
    if leaf.public_key.is_rsa() && eku.is_none_or(|e| e.has("serverAuth")) {
        return Some((
            Purpose::Tomcat,
            "its RSA key and serverAuth usage (CallManager and TVS certificates look the same)".into(),
        ));
    }
    None
}

/// Builds the chains among `certs` (with the input each came from), the upload plan and every flag.
pub fn analyze(
    certs: Vec<(Certificate, Untrusted)>,
    purpose_flag: Option<Purpose>,
    at: time::OffsetDateTime,
) -> Analysis {
    let mut certificates: Vec<Certificate> = Vec::new();
    let mut origins: Vec<Untrusted> = Vec::new();
    let mut flags = Vec::new();
    for (cert, origin) in certs {
        if let Some(first) = certificates.iter().position(|c| c.der == cert.der) {
            flags.push(Flag {
                kind: FlagKind::Duplicate,
                severity: Severity::Warn,
                index: first,
                message: format!("{} appears more than once (also in {origin})", cert.display_name()),
                consequence: "upload it once; the plan lists it once".into(),
            });
            continue;
        }
        certificates.push(cert);
        origins.push(origin);
    }
    let n = certificates.len();
    // Paths start at the certificates that issued none of the others (leaves, or a lone CA).
    let issues_another = |j: usize| (0..n).any(|i| i != j && could_issue(&certificates[j], &certificates[i]));
    let starts: Vec<usize> = (0..n).filter(|&j| !issues_another(j)).collect();
    let paths: Vec<Path> = starts.iter().map(|&start| path_from(start, &certificates)).collect();
    // With real chains present, a certificate alone on its path belongs to none of them.
    let longest = paths.iter().map(|p| p.links.len()).max().unwrap_or(0);
    let unrelated: Vec<usize> = if longest > 1 {
        paths.iter().filter(|p| p.links.len() == 1).map(|p| p.links[0].index).collect()
    } else {
        Vec::new()
    };
    // The plan: every path reversed (root first), CAs before leaves, each certificate once.
    let mut plan: Vec<Step> = Vec::new();
    let mut leaves: Vec<Step> = Vec::new();
    for path in paths.iter().filter(|p| !unrelated.contains(&p.links[0].index)) {
        for (pos, link) in path.links.iter().enumerate().rev() {
            if plan.iter().chain(leaves.iter()).any(|s| s.index == link.index) {
                continue;
            }
            let cert = &certificates[link.index];
            let self_signed = link.issuer == Some(link.index);
            let role = if self_signed && (pos > 0 || looks_like_ca(cert) || path.links.len() == 1) {
                Role::Root
            } else if pos > 0 || looks_like_ca(cert) {
                Role::Intermediate
            } else {
                Role::Leaf
            };
            let step = Step {
                index: link.index,
                role,
                issuer: link.issuer.filter(|&i| i != link.index),
                signature: if self_signed { None } else { link.signature.clone() },
            };
            if role == Role::Leaf { leaves.push(step) } else { plan.push(step) }
        }
    }
    plan.extend(leaves);
    let first_leaf = plan.iter().find(|s| s.role == Role::Leaf).map(|s| s.index);
    let (purpose, purpose_origin) = match (purpose_flag, first_leaf.and_then(|i| infer_purpose(&certificates[i]))) {
        (Some(p), _) => (Some(p), PurposeOrigin::Flag),
        (None, Some((p, why))) => (Some(p), PurposeOrigin::Inferred(why)),
        (None, None) => (None, PurposeOrigin::Unknown),
    };
    let trust = purpose.and_then(|p| p.trust_store()).unwrap_or("<purpose>-trust").to_string();
    let name = |i: usize| certificates[i].display_name();

    for path in paths.iter().filter(|p| !unrelated.contains(&p.links[0].index)) {
        let Some(top) = path.links.last() else { continue };
        if top.issuer.is_none() {
            let top_cert = &certificates[top.index];
            let consequence = if top.index == path.links[0].index {
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
                index: top.index,
                message: format!(
                    "the issuer of {} ({}) is not among the certificates",
                    name(top.index),
                    top_cert.issuer.to_openssl_string()
                ),
                consequence,
            });
        } else if !path.reaches_root && top.issuer.is_some_and(|i| path.links.iter().any(|l| l.index == i)) {
            flags.push(Flag {
                kind: FlagKind::Loop,
                severity: Severity::Fail,
                index: top.index,
                message: format!("the issuers of {} go round in a loop", name(top.index)),
                consequence: "no root can be found; the chain cannot be trusted".into(),
            });
        }
    }
    for step in &plan {
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
        if step.role != Role::Leaf && !cert.is_ca() && plan.iter().any(|s| s.issuer == Some(step.index)) {
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
    for path in &paths {
        for link in &path.links {
            if link.candidates > 1 && !flags.iter().any(|f| f.kind == FlagKind::SeveralPaths && f.index == link.index) {
                let others: Vec<String> = (0..n)
                    .filter(|&j| j != link.index && could_issue(&certificates[j], &certificates[link.index]))
                    .map(|j| {
                        format!(
                            "{} (issued by {})",
                            name(j),
                            certificates[j].issuer.common_name().map(Untrusted::escaped).unwrap_or("?".into())
                        )
                    })
                    .collect();
                flags.push(Flag {
                    kind: FlagKind::SeveralPaths,
                    severity: Severity::Warn,
                    index: link.index,
                    message: format!("{} can be issued by more than one certificate (cross-signing): {}", name(link.index), others.join(", ")),
                    consequence: "the plan follows the path that verifies up to a root; the other certificate of the same name is an alternative, not an addition".into(),
                });
            }
        }
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let (a, b) = (&certificates[i], &certificates[j]);
            if let (Some(ca), Some(cb)) = (a.subject.common_name(), b.subject.common_name())
                && ca.raw().eq_ignore_ascii_case(cb.raw())
                && a.is_ca()
                && b.is_ca()
            {
                flags.push(Flag {
                    kind: FlagKind::SameCommonName,
                    severity: Severity::Warn,
                    index: j,
                    message: format!("two CA certificates share the CN \"{ca}\""),
                    consequence: format!(
                        "{trust} keeps one certificate per CN: only one of them can be stored (see 'ucert trust')"
                    ),
                });
            }
        }
    }
    for &u in &unrelated {
        flags.push(Flag {
            kind: FlagKind::Unrelated,
            severity: Severity::Warn,
            index: u,
            message: format!("{} ({}) belongs to no chain of the others", name(u), origins[u]),
            consequence: "it is not needed for this upload; leave it out".into(),
        });
    }
    flags.sort_by_key(|f| f.severity);
    let alternatives = (0..n).filter(|i| !unrelated.contains(i) && !plan.iter().any(|s| s.index == *i)).collect();
    Analysis { certificates, origins, plan, unrelated, alternatives, flags, purpose, purpose_origin }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::testing::{at, cert};

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
