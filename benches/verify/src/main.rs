//! How long one CSR self-signature check takes with each RSA library at hand, on the same CSRs, one thread:
//! ring as ucert calls it (`ucert::analysis::verify::csr_self_signature`, the key parsed from the CSR each time),
//! aws-lc-rs, graviola and RustCrypto's `rsa`, each also building the key from the CSR's key every time, as a batch
//! of distinct CSRs must. Every library must accept every signature, or the figure would not count.
//!
//!     cargo run --release --manifest-path benches/verify/Cargo.toml -- DIR

use std::time::Instant;

use ucert::analysis::verify::{Verification, csr_self_signature};
use ucert::input::{self, Object, Reading, Source};
use ucert::model::KeyIdentity;
use ucert::model::der::trim_leading_zeros;

struct Signed {
    csr: ucert::model::Csr,
    modulus: Vec<u8>,
    exponent: Vec<u8>,
    /// The key as PKCS#1's RSAPublicKey (what graviola reads).
    pkcs1: Vec<u8>,
}

impl Signed {
    fn message(&self) -> &[u8] {
        &self.csr.der[self.csr.signed.message.clone()]
    }
    fn signature(&self) -> &[u8] {
        &self.csr.der[self.csr.signed.signature.clone()]
    }
}

fn main() {
    let dir = std::env::args_os().nth(1).expect("usage: ucert-verify-bench DIR (of PEM CSRs with RSA keys)");
    let mut paths: Vec<_> = std::fs::read_dir(dir).expect("a directory").map(|e| e.expect("an entry").path()).collect();
    paths.sort();
    let mut csrs = Vec::new();
    for path in paths {
        let decoded = input::load(&Source::Path(path.clone()), Reading::default()).expect("a readable file");
        for located in decoded.objects {
            if let Object::Csr(csr) = located.object {
                let KeyIdentity::Rsa { modulus, exponent } = csr.public_key.identity() else { continue };
                // without leading zero bytes, as the libraries' key constructors take them
                let (modulus, exponent) = (trim_leading_zeros(modulus).to_vec(), trim_leading_zeros(exponent).to_vec());
                let pkcs1 = ucert::model::der::tlv(
                    0x30,
                    &[ucert::model::der::unsigned_integer(&modulus), ucert::model::der::unsigned_integer(&exponent)]
                        .concat(),
                );
                csrs.push(Signed { csr: *csr, modulus, exponent, pkcs1 });
            }
        }
    }
    let n = csrs.len();
    assert!(n > 0, "no RSA CSR found");
    println!("{n} CSRs (RSA, SHA-256), one thread, median of 5 rounds");
    let ring = time(&csrs, |s| csr_self_signature(&s.csr) == Verification::Valid);
    let aws = time(&csrs, |s| {
        use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
        let key = RsaPublicKeyComponents { n: &s.modulus, e: &s.exponent };
        key.verify(&RSA_PKCS1_2048_8192_SHA256, s.message(), s.signature()).is_ok()
    });
    let graviola = time(&csrs, |s| {
        let Ok(key) = graviola::signing::rsa::VerifyingKey::from_pkcs1_der(&s.pkcs1) else { return false };
        key.verify_pkcs1_sha256(s.signature(), s.message()).is_ok()
    });
    let rustcrypto = time(&csrs, |s| {
        use rsa::signature::Verifier;
        let (n, e) = (rsa::BigUint::from_bytes_be(&s.modulus), rsa::BigUint::from_bytes_be(&s.exponent));
        let Ok(key) = rsa::RsaPublicKey::new(n, e) else { return false };
        let Ok(signature) = rsa::pkcs1v15::Signature::try_from(s.signature()) else { return false };
        rsa::pkcs1v15::VerifyingKey::<sha2::Sha256>::new(key).verify(s.message(), &signature).is_ok()
    });
    let all = [
        ("ring 0.17 (ucert)", ring),
        ("aws-lc-rs 1", aws),
        ("graviola 0.4", graviola),
        ("rsa 0.9 (RustCrypto)", rustcrypto),
    ];
    for (name, us) in all {
        println!("{name:<22} {us:>7.1} us per CSR   {:>6.0} ms for {n}", us * n as f64 / 1000.0);
    }
}

/// Microseconds per CSR, the median of five rounds; panics unless every signature verified.
fn time(csrs: &[Signed], verify: impl Fn(&Signed) -> bool) -> f64 {
    let mut rounds: Vec<f64> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let valid = csrs.iter().filter(|s| verify(s)).count();
            assert_eq!(valid, csrs.len(), "a library refused a valid signature");
            start.elapsed().as_secs_f64() * 1e6 / csrs.len() as f64
        })
        .collect();
    rounds.sort_by(f64::total_cmp);
    rounds[2]
}
