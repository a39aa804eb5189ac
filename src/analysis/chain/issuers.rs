//! Who could have issued whom: by name and key identifier, every candidate's signature verified. A [`Pool`]
//! indexes the certificates at hand once, so that finding an issuer is a look-up, not a scan.

use std::collections::HashMap;

use crate::analysis::verify::{self, Verification};
use crate::model::Certificate;

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
    pub(super) fn link(&self, index: usize) -> Link {
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

    /// The certificate at `i`.
    pub fn certificate(&self, i: usize) -> &'a Certificate {
        &self.certs[i]
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

/// Self-issued and its own key verifies its signature: a root (or a self-signed server certificate). When ucert
/// cannot check that signature (RSA-PSS with a long salt, say), the key identifiers decide: a certificate whose
/// authority key identifier is absent or its own subject key identifier is taken to have signed itself; one naming
/// another key (a CA renewed under the same name, signed by its old key) is not.
pub fn is_self_signed(cert: &Certificate) -> bool {
    if !cert.is_self_issued() {
        return false;
    }
    match verify::certificate_signed_by(cert, &cert.public_key) {
        Verification::Valid => true,
        Verification::Invalid => false,
        Verification::Unsupported(_) => {
            let ext = &cert.extensions;
            ext.authority_key_id.as_ref().is_none_or(|aki| ext.subject_key_id.as_ref() == Some(aki))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::checks::testing::cert;

    #[test]
    fn a_root_whose_own_signature_cannot_be_checked_is_still_self_signed() {
        let root = cert("chain/pss-max-salt-root.pem");
        assert!(matches!(verify::certificate_signed_by(&root, &root.public_key), Verification::Unsupported(_)));
        assert!(is_self_signed(&root));
        // its key identifiers are what says so: one naming another key (a CA renewed under its name) is not
        let mut renewed = root.clone();
        renewed.extensions.authority_key_id = Some(crate::model::extensions::KeyId(vec![1, 2, 3]));
        assert!(!is_self_signed(&renewed));
        assert!(is_self_signed(&cert("ca/root-ca.pem")) && !is_self_signed(&cert("ca/issuing-ca.pem")));
    }

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
}
