//! Sorting a cluster's worth of CSRs, certificates and keys: every object indexed by its public key (a hash map,
//! so pairing is linear in the number of objects), then each CSR paired with its certificates and keys and given the
//! brief verdict of `match`, and everything left over named with what CUCM would say about it.

use crate::untrusted::Untrusted;
use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use time::OffsetDateTime;

use crate::analysis::chain;
use crate::analysis::checks::{self, CertificateFacts, CheckId, CsrFacts, Pair, Request, Status};
use crate::cucm::{self, Purpose};
use crate::model::key::KeyIdentity;
use crate::model::{Certificate, Csr, PublicKey};

/// Where an object was found: the file, and its position when the file holds several (inside a ZIP archive, when
/// the file there holds several).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub path: Untrusted,
    pub position: Option<usize>,
    /// The file itself (shared by the objects of one file), to read it again.
    pub file: std::sync::Arc<std::path::Path>,
    /// Where in the file: what [`Reread`] is asked for.
    pub locator: Locator,
    /// The file inside a ZIP archive that holds the object: its name says the purpose, as a file's does.
    pub member: Option<Untrusted>,
}

/// Where in its file an object is: the index of the object, and within a PKCS#7 the index of the certificate; in a
/// ZIP archive, the entry of the file inside that holds it, and the index of the object in that file alone (an
/// archive's entry is read again alone, not the whole archive for each of its objects).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Locator {
    pub object: u32,
    pub inner: Option<u32>,
    pub entry: Option<u32>,
}

/// An object read again.
pub enum Reparsed {
    Csr(Box<Csr>),
    Certificate(Box<Certificate>),
    Other,
}

/// Reads one object of a file again. Pairing keeps no parsed object, nor its DER, for the whole run (40,000 files
/// would take hundreds of MiB): it reads the two of a pair again when it checks them. Reading files is the
/// commands' business; they hand pairing this.
pub type Reread = dyn Fn(&Place) -> Result<Reparsed, String> + Send + Sync;

impl Place {
    /// The object is one of several in its file, or inside a ZIP archive: the file as it stands is not the object.
    pub fn shares_its_file(&self) -> bool {
        self.position.is_some() || self.member.is_some()
    }

    /// As `Display` writes it (escaped), borrowed when that is the path as it stands: most objects are alone in a
    /// file of their own, and a batch shows tens of thousands of them.
    pub fn shown(&self) -> std::borrow::Cow<'_, str> {
        match (&self.member, self.position) {
            (None, None) => self.path.escaped(),
            _ => std::borrow::Cow::Owned(self.to_string()),
        }
    }

    /// The file name, for purpose inference (`tomcat.csr`): inside a ZIP archive, the name of the file there.
    pub fn file_name(&self) -> Option<&str> {
        match &self.member {
            Some(member) => Some(crate::model::encoding::member_file_name(member.raw())),
            None => self.file.file_name().and_then(|n| n.to_str()),
        }
    }
}

/// `certnew.p7b#2`; inside a ZIP archive, the file there after the archive's path (`answer.zip/cucm-pub.crt`), as
/// `logs` names the files of an archive.
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(member) = &self.member {
            write!(f, "/{member}")?;
        }
        match self.position {
            Some(n) => write!(f, "#{n}"),
            None => Ok(()),
        }
    }
}

/// A public key reduced to what makes it the same key (see [`PublicKey::identity`]): a SHA-256 of that identity,
/// so that tens of thousands of keys are indexed without keeping their moduli.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    pub fn of(key: &PublicKey) -> KeyHash {
        let mut data = Vec::with_capacity(key.spki.len() + 16);
        let mut part = |tag: &[u8], bytes: &[u8]| {
            data.extend_from_slice(tag);
            data.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
            data.extend_from_slice(bytes);
        };
        match key.identity() {
            KeyIdentity::Rsa { modulus, exponent } => {
                part(b"rsa-modulus", modulus);
                part(b"rsa-exponent", exponent);
            }
            KeyIdentity::Ec { curve, point } => {
                part(b"ec-curve", curve.unwrap_or_default().as_bytes());
                part(b"ec-point", point);
            }
            KeyIdentity::Spki(spki) => part(b"spki", spki),
        }
        KeyHash(crate::model::digest::sha256(&data))
    }
}

/// Hashes the keys pairing indexes by, which are digests already (SHA-256s of DER and of keys, [`KeyHash`], the CNs'
/// hashes): their first eight bytes, mixed with a seed drawn for the run. SipHash over 32 bytes was most of the cost
/// of indexing 40,000 objects; the seed keeps files made to collide in one table from colliding in a run they cannot
/// know. Only for keys whose every byte is already evenly spread.
#[derive(Clone, Copy)]
struct Digests(u64);

impl Default for Digests {
    fn default() -> Digests {
        use std::hash::BuildHasher;
        Digests(std::hash::RandomState::new().hash_one(0u8))
    }
}

impl std::hash::BuildHasher for Digests {
    type Hasher = DigestHasher;
    fn build_hasher(&self) -> DigestHasher {
        DigestHasher(self.0)
    }
}

struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut word = [0u8; 8];
        let n = bytes.len().min(8);
        word[..n].copy_from_slice(&bytes[..n]);
        self.write_u64(u64::from_le_bytes(word));
    }
    fn write_u64(&mut self, n: u64) {
        // a folded multiply, as foldhash and wyhash mix: every input bit reaches every output bit
        let product = u128::from(self.0 ^ n) * u128::from(0x9e37_79b9_7f4a_7c15u64);
        self.0 = (product as u64) ^ ((product >> 64) as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type DigestMap<K, V> = HashMap<K, V, Digests>;
type DigestSet<K> = HashSet<K, Digests>;

/// What pairing keeps of a certificate for the whole run: the few facts pairing and the report read, a few hundred
/// bytes, where a parsed [`Certificate`] takes 4 KiB in some 90 allocations. The checks of its pair (and `plan`)
/// read it again from its file ([`Reread`]): a folder of 40,000 files fits in tens of MiB.
#[derive(Clone, Debug)]
pub struct FiledCertificate {
    /// SHA-256 of the DER: the certificate's fingerprint, and what copies are found by.
    pub sha256: [u8; 32],
    pub key: KeyHash,
    /// `rsa`, `ec`, ... ([`PublicKey::algorithm`]).
    pub algorithm: &'static str,
    pub common_name: Option<Untrusted>,
    /// Without a CN: its first SAN, else the whole subject ([`Certificate::display_name`]).
    other_name: Option<Untrusted>,
    /// The subject as [`DistinguishedName::canonical`] compares it, hashed.
    subject: [u8; 32],
    /// The lower-case CNs, hashed, for the "did it issue another one?" index.
    subject_cn: u64,
    issuer_cn: u64,
    pub serial: Box<[u8]>,
    pub not_before: Option<time::OffsetDateTime>,
    pub not_after: Option<time::OffsetDateTime>,
    /// CA:TRUE, may sign, not a server's ([`chain::looks_like_ca`]).
    pub looks_like_ca: bool,
    /// The purpose its usages suggest ([`chain::infer_purpose`]).
    pub looks_like: Option<Purpose>,
    /// What its checks read, so that a clean pair is judged without reading it again.
    pub facts: CertificateFacts,
}

impl FiledCertificate {
    pub fn new(c: &Certificate) -> FiledCertificate {
        let lower = |n: &crate::model::DistinguishedName| {
            use std::hash::{Hash, Hasher};
            let mut h = std::hash::DefaultHasher::new();
            let cn = n.common_name().map_or("", |cn| cn.raw());
            // lower-cased in a copy only when it changes anything (a host name seldom has capitals)
            if cn.bytes().any(|b| !b.is_ascii() || b.is_ascii_uppercase()) {
                cn.to_lowercase().hash(&mut h);
            } else {
                cn.hash(&mut h);
            }
            h.finish()
        };
        let common_name = c.subject.common_name().cloned();
        FiledCertificate {
            sha256: crate::model::digest::sha256(&c.der),
            key: KeyHash::of(&c.public_key),
            algorithm: c.public_key.algorithm(),
            other_name: common_name.is_none().then(|| c.display_name()),
            common_name,
            subject: name_hash(&c.subject),
            subject_cn: lower(&c.subject),
            issuer_cn: lower(&c.issuer),
            serial: c.serial.clone().into_boxed_slice(),
            not_before: c.not_before,
            not_after: c.not_after,
            looks_like_ca: chain::looks_like_ca(c),
            looks_like: chain::infer_purpose(c).map(|(p, _)| p),
            facts: CertificateFacts::of(c),
        }
    }

    /// The subject's CN, else its first SAN, else the whole subject ([`Certificate::display_name`]).
    pub fn display_name(&self) -> &Untrusted {
        match (&self.common_name, &self.other_name) {
            (Some(cn), _) => cn,
            (None, Some(other)) => other,
            // (other_name is set whenever common_name is not)
            (None, None) => const { &Untrusted::EMPTY },
        }
    }
}

/// What pairing keeps of a CSR (see [`FiledCertificate`]).
#[derive(Clone, Debug)]
pub struct FiledCsr {
    /// SHA-256 of the DER: what copies of one CSR are found by.
    pub sha256: [u8; 32],
    pub key: KeyHash,
    pub algorithm: &'static str,
    pub common_name: Option<Untrusted>,
    subject: [u8; 32],
    /// What its checks read (its self-signature verified once, here), so that a clean pair is judged without
    /// reading it again.
    pub facts: CsrFacts,
}

impl FiledCsr {
    pub fn new(c: &Csr) -> FiledCsr {
        FiledCsr {
            sha256: crate::model::digest::sha256(&c.der),
            key: KeyHash::of(&c.public_key),
            algorithm: c.public_key.algorithm(),
            common_name: c.subject.common_name().cloned(),
            subject: name_hash(&c.subject),
            facts: CsrFacts::of(c),
        }
    }
}

/// Certificate `found` read again: the same certificate (its SHA-256), or why not.
pub fn reread_certificate(found: &Found<FiledCertificate>, reread: &Reread) -> Result<Certificate, String> {
    match reread(&found.place)? {
        Reparsed::Certificate(c) if crate::model::digest::sha256(&c.der) == found.item.sha256 => Ok(*c),
        _ => Err(format!("{}: changed since ucert read it", found.place)),
    }
}

/// CSR `found` read again (see [`reread_certificate`]).
pub fn reread_csr(found: &Found<FiledCsr>, reread: &Reread) -> Result<Csr, String> {
    match reread(&found.place)? {
        Reparsed::Csr(c) if crate::model::digest::sha256(&c.der) == found.item.sha256 => Ok(*c),
        _ => Err(format!("{}: changed since ucert read it", found.place)),
    }
}

/// A name as [`DistinguishedName::canonical`] compares it, hashed.
fn name_hash(name: &crate::model::DistinguishedName) -> [u8; 32] {
    let mut data = Vec::with_capacity(256);
    name.visit_canonical(|rdn| {
        for (oid, value) in rdn {
            for text in [oid, value] {
                data.extend_from_slice(&(text.len() as u64).to_be_bytes());
                data.extend_from_slice(text.as_bytes());
            }
        }
        data.push(0xff); // end of the RDN
    });
    crate::model::digest::sha256(&data)
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
    pub csrs: Vec<Found<FiledCsr>>,
    pub certificates: Vec<Found<FiledCertificate>>,
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
    pub csrs: Vec<Found<FiledCsr>>,
    pub certificates: Vec<Found<FiledCertificate>>,
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
    /// How objects are read again from their files.
    pub reread: Box<Reread>,
}

impl Pairing {
    /// Certificate `i`, read again from its file.
    pub fn certificate(&self, i: usize) -> Result<Certificate, String> {
        reread_certificate(&self.certificates[i], &*self.reread)
    }

    /// Any pair fails a check, or any certificate has no CSR.
    pub fn has_failures(&self) -> bool {
        !self.orphans.is_empty() || self.entries.iter().any(|e| e.certificates.iter().any(|c| !c.verdict.matched))
    }
}

/// Pairs everything. Verdicts run in parallel; the rest is a few passes over hash maps keyed by borrowed keys.
/// `purpose` (`--purpose`) is every CSR's; without it, each CSR's file name says its own.
pub fn pair(inventory: Inventory, purpose: Option<Purpose>, at: OffsetDateTime, reread: Box<Reread>) -> Pairing {
    let (roles, entries, orphans, lonely_keys) = {
        let roles = Roles::sort(&inventory, &*reread);
        let index = KeyIndex::new(&inventory, &roles.leaves);
        // what each CSR's file name says, on every core (a batch of 20,000 CSRs asks it 20,000 times)
        let named: Vec<Option<Purpose>> =
            inventory.csrs.par_iter().map(|c| c.place.file_name().and_then(Purpose::from_file_name)).collect();
        let mut entries = csr_entries(&inventory, &index, purpose, &named);
        let cas: Vec<Certificate> =
            roles.cas.iter().filter_map(|&i| reread_certificate(&inventory.certificates[i], &*reread).ok()).collect();
        // a pair that passes every check is told by the facts taken as its files were read; any other is read
        // again, checked in full and dropped: never the whole folder in memory at once
        entries.par_iter_mut().for_each(|e| {
            let filed_csr = &inventory.csrs[e.csr].item;
            let mut csr = None;
            for paired in &mut e.certificates {
                let filed = &inventory.certificates[paired.certificate].item;
                let dates = (filed.not_before, filed.not_after);
                if cas.is_empty() && checks::clean_pair(&filed_csr.facts, &filed.facts, dates, e.purpose, at) {
                    paired.verdict = clean_verdict();
                    continue;
                }
                let csr = csr.get_or_insert_with(|| reread_csr(&inventory.csrs[e.csr], &*reread));
                let cert = reread_certificate(&inventory.certificates[paired.certificate], &*reread);
                paired.verdict = match (&*csr, cert) {
                    (Ok(csr), Ok(cert)) => {
                        let pair =
                            Pair { request: Request::Csr(csr), certificate: &cert, cas: &cas, purpose: e.purpose, at };
                        verdict(&checks::run_all(&pair))
                    }
                    (Err(e), _) => unreadable_again(e),
                    (_, Err(e)) => unreadable_again(&e),
                };
            }
        });
        let orphans = orphans(&inventory, &entries, &roles.leaves, &index, &named);
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
        reread,
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
    fn sort(inventory: &Inventory, reread: &Reread) -> Roles {
        let request_keys: DigestSet<KeyHash> = inventory.csrs.iter().map(|c| c.item.key).collect();
        let issuers = Issuers::new(&inventory.certificates, reread);
        let mut roles = Roles { leaves: Vec::new(), cas: Vec::new(), duplicates: Vec::new() };
        let mut seen: DigestMap<&[u8; 32], usize> =
            DigestMap::with_capacity_and_hasher(inventory.certificates.len(), Digests::default());
        for (i, found) in inventory.certificates.iter().enumerate() {
            let cert = &found.item;
            if seen.insert(&cert.sha256, i).is_some() {
                roles.duplicates.push(i);
            } else if request_keys.contains(&cert.key) {
                roles.leaves.push(i);
            } else if cert.looks_like_ca || issuers.issued_another(i) {
                roles.cas.push(i);
            } else {
                roles.leaves.push(i);
            }
        }
        roles
    }
}

/// Leaf certificates and loose keys by public key.
struct KeyIndex {
    certificates: DigestMap<KeyHash, Vec<usize>>,
    keys: DigestMap<KeyHash, Vec<usize>>,
}

impl KeyIndex {
    fn new(inventory: &Inventory, leaves: &[usize]) -> KeyIndex {
        let mut certificates: DigestMap<KeyHash, Vec<usize>> =
            DigestMap::with_capacity_and_hasher(leaves.len(), Digests::default());
        for &i in leaves {
            certificates.entry(inventory.certificates[i].item.key).or_default().push(i);
        }
        let mut keys: DigestMap<KeyHash, Vec<usize>> = DigestMap::default();
        for (i, k) in inventory.keys.iter().enumerate() {
            keys.entry(KeyHash::of(&k.item.key)).or_default().push(i);
        }
        KeyIndex { certificates, keys }
    }

    fn keys_of(&self, id: &KeyHash) -> Vec<usize> {
        self.keys.get(id).cloned().unwrap_or_default()
    }
}

/// One entry per CSR, with its certificates (verdicts not yet run) and keys; the same CSR in several files is one
/// entry with copies.
/// `named`: the purpose each CSR's file name says.
fn csr_entries(
    inventory: &Inventory,
    index: &KeyIndex,
    purpose: Option<Purpose>,
    named: &[Option<Purpose>],
) -> Vec<CsrEntry> {
    // which CSRs are copies of an earlier one: one pass in order, as the first file holding a CSR is its entry's
    let mut csr_first: DigestMap<&[u8; 32], usize> =
        DigestMap::with_capacity_and_hasher(inventory.csrs.len(), Digests::default());
    let copy_of: Vec<Option<usize>> = (0..)
        .zip(&inventory.csrs)
        .map(|(i, found)| match csr_first.entry(&found.item.sha256) {
            std::collections::hash_map::Entry::Occupied(first) => Some(*first.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(i);
                None
            }
        })
        .collect();
    // the entries, on every core (each looks its key up in the index), in the CSRs' order
    let mut entries: Vec<CsrEntry> = (0..inventory.csrs.len())
        .into_par_iter()
        .filter(|&i| copy_of[i].is_none())
        .map(|i| {
            let id = inventory.csrs[i].item.key;
            CsrEntry {
                csr: i,
                purpose: purpose.or(named[i]),
                certificates: index
                    .certificates
                    .get(&id)
                    .map(|v| v.iter().map(|&c| Paired { certificate: c, verdict: not_yet_checked() }).collect())
                    .unwrap_or_default(),
                keys: index.keys_of(&id),
                copies: Vec::new(),
            }
        })
        .collect();
    for (i, first) in copy_of.iter().enumerate() {
        // (entries are in the order of their CSRs)
        if let Some(e) = first.and_then(|first| entries.binary_search_by_key(&first, |e| e.csr).ok()) {
            entries[e].copies.push(i);
        }
    }
    entries
}

/// Leaf certificates with no CSR: superseded when a CSR names the same subject with another key. A node's CSRs all
/// share its subject, so the CSR of the purpose the certificate looks like (and of its key type) wins.
fn orphans(
    inventory: &Inventory,
    entries: &[CsrEntry],
    leaves: &[usize],
    index: &KeyIndex,
    named: &[Option<Purpose>],
) -> Vec<Orphan> {
    let csrs = &inventory.csrs;
    let csr_keys: DigestSet<KeyHash> = entries.iter().map(|e| csrs[e.csr].item.key).collect();
    let purpose_of = |c: usize| named[c];
    let mut subjects: DigestMap<[u8; 32], Vec<usize>> = DigestMap::default();
    let mut orphans = Vec::new();
    for &i in leaves {
        let cert = &inventory.certificates[i].item;
        let id = cert.key;
        if csr_keys.contains(&id) {
            continue;
        }
        if subjects.is_empty() {
            for e in entries {
                subjects.entry(csrs[e.csr].item.subject).or_default().push(e.csr);
            }
        }
        let looks_like = cert.looks_like;
        let superseded_by = subjects.get(&cert.subject).and_then(|candidates| {
            candidates.iter().copied().max_by_key(|&c| {
                let same_purpose = looks_like.is_some() && purpose_of(c) == looks_like;
                let same_type = csrs[c].item.algorithm == cert.algorithm;
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
    let ca_keys: DigestSet<KeyHash> = cas.iter().map(|&i| inventory.certificates[i].item.key).collect();
    let keys = &inventory.keys;
    (0..keys.len()).filter(|k| !used.contains(k) && !ca_keys.contains(&KeyHash::of(&keys[*k].item.key))).collect()
}

/// The verdict a pair holds until the parallel pass over the entries runs its checks.
/// "Did this certificate issue another one at hand?", asked only of the few certificates without a CSR: other
/// certificates are found by the CN of their issuer, then judged by [`chain::could_issue`].
struct Issuers<'a> {
    certificates: &'a [Found<FiledCertificate>],
    by_issuer_cn: DigestMap<u64, Vec<usize>>,
    reread: &'a Reread,
}

impl<'a> Issuers<'a> {
    fn new(certificates: &'a [Found<FiledCertificate>], reread: &'a Reread) -> Issuers<'a> {
        let mut by_issuer_cn: DigestMap<u64, Vec<usize>> = DigestMap::default();
        for (i, found) in certificates.iter().enumerate() {
            by_issuer_cn.entry(found.item.issuer_cn).or_default().push(i);
        }
        Issuers { certificates, by_issuer_cn, reread }
    }

    /// Reads the candidate and the certificates naming it as issuer again: asked only of the few without a CSR.
    fn issued_another(&self, j: usize) -> bool {
        let filed = &self.certificates[j].item;
        let Some(others) = self.by_issuer_cn.get(&filed.subject_cn) else { return false };
        let read = |k: usize| reread_certificate(&self.certificates[k], self.reread);
        let others: Vec<usize> =
            others.iter().copied().filter(|&i| i != j && self.certificates[i].item.sha256 != filed.sha256).collect();
        if others.is_empty() {
            return false;
        }
        let Ok(candidate) = read(j) else { return false };
        others.into_iter().any(|i| read(i).is_ok_and(|issued| chain::could_issue(&candidate, &issued)))
    }
}

/// The verdict of a pair whose CSR or certificate could not be read again (removed or changed meanwhile).
fn unreadable_again(why: &str) -> Verdict {
    Verdict {
        matched: false,
        cucm_error: None,
        failed_check: None,
        message: Some(format!("could not be read again: {why}")),
        warnings: Vec::new(),
    }
}

/// The verdict of a pair whose every check passes: what [`verdict`] makes of passes and skips alone.
fn clean_verdict() -> Verdict {
    Verdict { matched: true, cucm_error: None, failed_check: None, message: None, warnings: Vec::new() }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_certificate(rel: &str) -> Certificate {
        let text = std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)).unwrap();
        Certificate::from_der(pem::parse(text).unwrap().contents()).unwrap().0
    }

    fn found(c: &Certificate) -> Found<FiledCertificate> {
        let file: std::sync::Arc<std::path::Path> = std::sync::Arc::from(std::path::Path::new("certnew.cer"));
        let place = Place {
            path: Untrusted::new("certnew.cer"),
            position: None,
            file,
            locator: Locator::default(),
            member: None,
        };
        Found { item: FiledCertificate::new(c), place }
    }

    /// What the table shows of a place, borrowed or not, is what `Display` writes: a file alone, one of several,
    /// inside an archive, with hostile names.
    #[test]
    fn a_place_is_shown_as_it_displays() {
        let file: std::sync::Arc<std::path::Path> = std::sync::Arc::from(std::path::Path::new("certnew.cer"));
        let place = |path: &str, position, member: Option<&str>| Place {
            path: Untrusted::new(path),
            position,
            file: file.clone(),
            locator: Locator::default(),
            member: member.map(Untrusted::new),
        };
        let places = [
            place("certs/certnew.cer", None, None),
            place("certnew.p7b", Some(2), None),
            place("answer.zip", None, Some("cucm-pub.crt")),
            place("answer.zip", Some(3), Some("chain.p7b")),
            place("evil\x1b]0;pwned\x07\u{202e}.cer", None, None),
            place("a\nb.zip", Some(1), Some("c\rd.pem")),
        ];
        for p in &places {
            assert_eq!(p.shown(), p.to_string());
            assert!(!p.shown().chars().any(crate::untrusted::needs_escape), "{}", p.shown());
        }
        assert!(matches!(places[0].shown(), std::borrow::Cow::Borrowed(_)), "a plain path alone is not copied");
    }

    #[test]
    fn a_file_changed_between_the_reads_is_said_so() {
        let tomcat = fixture_certificate("cucm/tomcat.pem");
        let other = fixture_certificate("cucm/CallManager.pem");
        let f = found(&tomcat);
        let again = tomcat.clone();
        let same = move |_: &Place| Ok(Reparsed::Certificate(Box::new(again.clone())));
        assert_eq!(reread_certificate(&f, &same).unwrap().der, tomcat.der);
        let changed = move |_: &Place| Ok(Reparsed::Certificate(Box::new(other.clone())));
        assert_eq!(reread_certificate(&f, &changed).unwrap_err(), "certnew.cer: changed since ucert read it");
        let gone = |_: &Place| Err("no such file or directory".to_string());
        assert_eq!(reread_certificate(&f, &gone).unwrap_err(), "no such file or directory");
        let verdict = unreadable_again("certnew.cer: changed since ucert read it");
        assert!(!verdict.matched && verdict.message.unwrap().contains("could not be read again"));
    }

    #[test]
    fn digests_index_by_all_their_first_eight_bytes_under_a_seed_of_the_run() {
        use std::hash::BuildHasher;
        let digests: Vec<[u8; 32]> = (0u32..10_000).map(|i| crate::model::digest::sha256(&i.to_be_bytes())).collect();
        let (one, other) = (Digests::default(), Digests::default());
        let hashes: HashSet<u64> = digests.iter().map(|d| one.hash_one(d)).collect();
        assert_eq!(hashes.len(), digests.len(), "no two of 10,000 digests share a hash");
        assert!(digests.iter().all(|d| one.hash_one(d) == one.hash_one(*d)), "a digest hashes as its reference does");
        assert!(digests.iter().any(|d| one.hash_one(d) != other.hash_one(d)), "each run draws its own seed");
        // a byte past the eighth is not read: only digests may be keys
        let mut same_start = digests[0];
        same_start[31] ^= 1;
        assert_eq!(one.hash_one(digests[0]), one.hash_one(same_start));
        let mut map: DigestMap<&[u8; 32], usize> = DigestMap::default();
        for (i, d) in digests.iter().enumerate() {
            map.insert(d, i);
        }
        assert!(digests.iter().enumerate().all(|(i, d)| map.get(d) == Some(&i)));
    }

    #[test]
    fn what_is_kept_names_the_key_and_the_certificate() {
        let tomcat = fixture_certificate("cucm/tomcat.pem");
        let filed = FiledCertificate::new(&tomcat);
        assert_eq!(filed.key, KeyHash::of(&tomcat.public_key));
        assert_ne!(filed.key, KeyHash::of(&fixture_certificate("cucm/CallManager.pem").public_key));
        assert_eq!(filed.display_name(), &tomcat.display_name());
        assert_eq!(filed.sha256, crate::model::digest::sha256(&tomcat.der));
        assert_eq!(filed.looks_like, chain::infer_purpose(&tomcat).map(|(p, _)| p));
    }
}
