//! What the checks read of each object, taken once while the object is parsed, so that a batch (`pair`, `plan`) can
//! tell a pair that passes every check without reading its two files again. The facts are the checks' own answers
//! where a check reads one object alone (the CSR's self-signature, the certificate's wildcards: each check's
//! `passes`, which says what its `judge` would without writing its words), and digests of what a check compares
//! between the two (SANs, subject). Only a clean pair is decided here: any failure or warning is
//! left to [`super::run_all`] on the objects read again, which says why in its own words. The test below holds the
//! two to the same answer on every pair of the fixtures (and of the real-world files, where present).

use std::hash::Hasher;

use time::OffsetDateTime;

use super::{critical_extension, hash_algorithm, wildcard};
use super::{key_size, key_usage, san, signature, subject, validity};
use crate::cucm::{KeyType, Purpose};
use crate::model::extensions::{Eku, ExtendedKeyUsage, KeyPurpose, KeyUsage, KeyUsageBit};
use crate::model::{Certificate, Csr};

/// 128 bits of SHA-256 over what a check compares: equal digests are equal values (an accidental or a forged
/// collision is out of reach), in a few bytes instead of the values.
pub(super) type Digest = [u8; 16];

/// A [`Hasher`] into SHA-256, so that a `#[derive(Hash)]` value is digested as it is compared. Digests are compared
/// within one run only, never stored. (The many small writes are gathered and hashed at once.)
pub(super) struct Digester(Vec<u8>);

impl Digester {
    pub(super) fn new() -> Digester {
        Digester(Vec::with_capacity(256))
    }

    pub(super) fn finish128(self) -> Digest {
        let mut out = [0; 16];
        out.copy_from_slice(&crate::model::digest::sha256(&self.0)[..16]);
        out
    }
}

impl Hasher for Digester {
    fn write(&mut self, bytes: &[u8]) {
        self.0.extend_from_slice(bytes);
    }

    /// Unused: [`Digester::finish128`] gives the digest.
    fn finish(&self) -> u64 {
        0
    }
}

/// Key usage and extended key usage in a few bytes, for the [`key_usage`] check, which reads only which usages are
/// there: the bits and the named purposes as masks, by their index in [`KeyUsageBit::ALL`] and [`KeyPurpose::ALL`].
/// (A whole [`KeyUsage`] and [`ExtendedKeyUsage`] kept for each object cost 2 MiB more at the peak at 20,000 pairs.)
#[derive(Clone, Debug, Default)]
struct UsageFacts {
    key_usage: Option<u16>,
    extended_key_usage: Option<u16>,
    /// Purposes without a name (rare), by OID.
    unnamed: Box<[String]>,
}

impl UsageFacts {
    fn of(key_usage: Option<&KeyUsage>, extended_key_usage: Option<&ExtendedKeyUsage>) -> UsageFacts {
        let mask = |index: Option<usize>| index.map_or(0, |i| 1u16 << i);
        let mut unnamed = Vec::new();
        let extended_key_usage = extended_key_usage.map(|eku| {
            let mut bits = 0;
            for purpose in &eku.purposes {
                match purpose {
                    Eku::Named(p) => bits |= mask(KeyPurpose::ALL.iter().position(|q| q == p)),
                    Eku::Unnamed(oid) => unnamed.push(oid.clone()),
                }
            }
            bits
        });
        UsageFacts {
            key_usage: key_usage.map(|ku| {
                ku.usages.iter().fold(0, |bits, u| bits | mask(KeyUsageBit::ALL.iter().position(|b| b == u)))
            }),
            extended_key_usage,
            unnamed: unnamed.into_boxed_slice(),
        }
    }

    /// The extensions again, as far as the check reads them (not whether they are critical, nor the order).
    fn expand(&self) -> (Option<KeyUsage>, Option<ExtendedKeyUsage>) {
        let set = |bits: u16, i: usize| bits & (1 << i) != 0;
        let key_usage = self.key_usage.map(|bits| KeyUsage {
            critical: false,
            usages: (0..KeyUsageBit::ALL.len()).filter(|&i| set(bits, i)).map(|i| KeyUsageBit::ALL[i]).collect(),
        });
        let extended_key_usage = self.extended_key_usage.map(|bits| ExtendedKeyUsage {
            critical: false,
            purposes: (0..KeyPurpose::ALL.len())
                .filter(|&i| set(bits, i))
                .map(|i| Eku::Named(KeyPurpose::ALL[i]))
                .chain(self.unnamed.iter().cloned().map(Eku::Unnamed))
                .collect(),
        });
        (key_usage, extended_key_usage)
    }
}

fn borrowed(usages: &(Option<KeyUsage>, Option<ExtendedKeyUsage>)) -> key_usage::Usages<'_> {
    key_usage::Usages { key_usage: usages.0.as_ref(), extended_key_usage: usages.1.as_ref() }
}

/// What the checks read of a CSR.
#[derive(Clone, Debug)]
pub struct CsrFacts {
    /// The requested SANs' digest; None when the CSR requests no SAN (CUCM does not compare them then).
    sans: Option<Digest>,
    subject: Digest,
    /// The usages it requests.
    usages: UsageFacts,
    /// The self-signature verifies.
    signature: bool,
}

impl CsrFacts {
    /// Verifies the CSR's self-signature: the one costly fact, taken on the thread that parsed the CSR.
    pub fn of(csr: &Csr) -> CsrFacts {
        let requested = &csr.requested_extensions;
        CsrFacts {
            sans: requested.subject_alt_names.as_deref().map(san::digest),
            subject: subject::digest(&csr.subject),
            usages: UsageFacts::of(requested.key_usage.as_ref(), requested.extended_key_usage.as_ref()),
            signature: signature::passes(csr),
        }
    }
}

/// What the checks read of a certificate, besides its dates (kept by the caller, who shows them).
#[derive(Clone, Debug)]
pub struct CertificateFacts {
    sans: Digest,
    subject: Digest,
    usages: UsageFacts,
    is_ca: bool,
    /// The checks that read the certificate alone are clean: no wildcard, no odd critical extension, no weak hash.
    alone: bool,
    /// RSA or EC, for the purpose's key type.
    key_type: Option<KeyType>,
    /// The key-size check of a key that fits its purpose, with no CA certificate at hand, is clean.
    key_size: bool,
}

impl CertificateFacts {
    pub fn of(certificate: &Certificate) -> CertificateFacts {
        let ext = &certificate.extensions;
        CertificateFacts {
            sans: san::digest(ext.subject_alt_names.as_deref().unwrap_or_default()),
            subject: subject::digest(&certificate.subject),
            usages: UsageFacts::of(ext.key_usage.as_ref(), ext.extended_key_usage.as_ref()),
            is_ca: certificate.is_ca(),
            alone: [wildcard::passes, critical_extension::passes, hash_algorithm::passes]
                .iter()
                .all(|passes| passes(certificate)),
            key_type: key_size::key_type(&certificate.public_key),
            key_size: key_size::size_passes_alone(&certificate.public_key),
        }
    }
}

/// A CSR and a certificate of the same public key (the caller paired them by it) that pass every check, with no
/// warning, under `purpose` at `at`, with no CA certificate at hand: exactly when [`super::run_all`] would find
/// nothing to say but passes and skips. False says only that the checks must run on the objects themselves.
pub fn clean_pair(
    csr: &CsrFacts,
    certificate: &CertificateFacts,
    dates: (Option<OffsetDateTime>, Option<OffsetDateTime>),
    purpose: Option<Purpose>,
    at: OffsetDateTime,
) -> bool {
    csr.signature
        && certificate.alone
        && key_size::fits(certificate.key_type, purpose)
        && certificate.key_size
        && csr.sans.is_none_or(|sans| sans == certificate.sans)
        && csr.subject == certificate.subject
        && validity::passes(dates.0, dates.1, at)
        && {
            let (asked, has) = (csr.usages.expand(), certificate.usages.expand());
            key_usage::passes(borrowed(&asked), purpose, borrowed(&has), certificate.is_ca)
        }
}

#[cfg(test)]
mod tests {
    use super::super::{CheckId, Pair, Request, Status, run_all};
    use super::*;
    use crate::input::{self, Object, Source};
    use std::path::Path;

    /// Every CSR and certificate of the files under `dir` (PKCS#7 certificates included), with the file's name.
    fn objects_under(dir: &Path) -> (Vec<(Csr, String)>, Vec<Certificate>) {
        let (mut csrs, mut certificates) = (Vec::new(), Vec::new());
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            if !entry.file_type().is_file() {
                continue;
            }
            let Ok(decoded) = input::load(&Source::Path(entry.path().to_path_buf()), Default::default()) else {
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            for located in decoded.objects {
                match located.object {
                    Object::Csr(c) => csrs.push((*c, name.clone())),
                    Object::Certificate(c) => certificates.push(*c),
                    Object::Pkcs7(list) => certificates.extend(list),
                    _ => {}
                }
            }
        }
        (csrs, certificates)
    }

    /// What `run_all` says of the pair, but for the public key, which the caller of [`clean_pair`] pairs by.
    fn clean_in_full(csr: &Csr, certificate: &Certificate, purpose: Option<Purpose>, at: OffsetDateTime) -> bool {
        let pair = Pair { request: Request::Csr(csr), certificate, cas: &[], purpose, at };
        run_all(&pair)
            .iter()
            .filter(|f| f.id != CheckId::PublicKey)
            .all(|f| matches!(f.status, Status::Pass | Status::Skip))
    }

    /// The facts give the answer of the checks themselves, on every CSR against every certificate: under no
    /// purpose and the one the CSR's file name says, and, for a CSR and the certificates of its key, under every
    /// purpose and at moments around the certificate's validity. Returns how many pairs were clean, and how many
    /// were not, so that a test can see both kinds were met.
    fn agree_on(dir: &Path) -> (usize, usize) {
        let (csrs, certificates) = objects_under(dir);
        let base = time::macros::datetime!(2026-06-01 0:00 UTC);
        let csr_facts: Vec<CsrFacts> = csrs.iter().map(|(c, _)| CsrFacts::of(c)).collect();
        let cert_facts: Vec<CertificateFacts> = certificates.iter().map(CertificateFacts::of).collect();
        let (mut clean_pairs, mut others) = (0, 0);
        for ((csr, name), facts) in csrs.iter().zip(&csr_facts) {
            let named = Purpose::from_file_name(name);
            for (certificate, theirs) in certificates.iter().zip(&cert_facts) {
                let same_key = csr.public_key.same_key(&certificate.public_key);
                let purposes: Vec<Option<Purpose>> = if same_key {
                    std::iter::once(None).chain(Purpose::ALL.into_iter().map(Some)).collect()
                } else {
                    vec![None, named]
                };
                let mut moments = vec![base];
                if let (true, Some(from), Some(until)) = (same_key, certificate.not_before, certificate.not_after) {
                    let day = time::Duration::days(1);
                    moments.extend([from - day, from + day, until - 10 * day, until + day]);
                }
                for &purpose in &purposes {
                    for &at in &moments {
                        let dates = (certificate.not_before, certificate.not_after);
                        let quick = clean_pair(facts, theirs, dates, purpose, at);
                        assert_eq!(
                            quick,
                            clean_in_full(csr, certificate, purpose, at),
                            "{name} against {} under {purpose:?} at {at}",
                            certificate.display_name()
                        );
                        if quick { clean_pairs += 1 } else { others += 1 }
                    }
                }
            }
        }
        (clean_pairs, others)
    }

    #[test]
    fn the_facts_agree_with_the_checks_on_every_pair_of_the_fixtures() {
        let (clean_pairs, others) = agree_on(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
        assert!(clean_pairs > 1000 && others > 10_000, "{clean_pairs} clean, {others} not");
    }

    #[test]
    fn the_facts_agree_with_the_checks_on_the_real_world_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-world");
        if !dir.is_dir() {
            eprintln!("skipped: ../shared/real-world is absent");
            return;
        }
        let (clean_pairs, others) = agree_on(&dir);
        assert!(clean_pairs > 0 && others > 0, "{clean_pairs} clean, {others} not");
    }

    #[test]
    fn a_digest_sees_what_the_check_compares_and_nothing_else() {
        use crate::model::extensions::SanEntry;
        let dns = |s: &str| SanEntry::Dns(s.into());
        // case, a trailing dot, order and repeats are not differences to CUCM; another name, one more, is
        assert_eq!(
            san::digest(&[dns("CUCM.example.com."), dns("a.example.com"), dns("a.example.com")]),
            san::digest(&[dns("a.example.com"), dns("cucm.example.com")])
        );
        assert_ne!(san::digest(&[dns("a.example.com")]), san::digest(&[dns("a.example.com"), dns("b.example.com")]));
        assert_ne!(san::digest(&[dns("a.example.com")]), san::digest(&[SanEntry::Email("a.example.com".into())]));
        // no SAN at all and an empty list are alike on the certificate's side (the check reads an empty list)
        assert_eq!(san::digest(&[]), san::digest(&Vec::new()));
    }
}
