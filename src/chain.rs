//! Chains: who issued whom, by name and key identifier, with every signature verified. Used by `match` (the
//! `chain` check) and by `chain` (the upload plan).

use crate::model::Certificate;
use crate::verify::{self, Verification};

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
            candidates.iter().map(|&i| (i, verify::verify(&cert.signed, &pool[i].public_key))).collect();
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
    cert.is_self_issued() && verify::verify(&cert.signed, &cert.public_key).is_valid()
}
