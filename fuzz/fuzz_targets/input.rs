//! The input layer on arbitrary bytes: detection, PEM scanning, base64, DER classification, every parser behind
//! them, and what inspect derives from each object.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucert::input::{self, Object};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = input::decode(data) else { return };
    let _ = decoded.problem_summary();
    for located in &decoded.objects {
        let _ = located.object.describe();
        match &located.object {
            Object::Certificate(c) => {
                let _ = (c.fingerprints(), c.display_name(), c.subject.to_openssl_string(), c.to_pem());
                let _ = (c.public_key.modulus_md5(), c.public_key.pubkey_md5(), c.public_key.summary());
                let _ = ucert::analysis::chain::is_self_signed(c);
            }
            Object::Csr(c) => {
                let _ = (ucert::analysis::verify::csr_self_signature(c), c.fingerprints(), c.public_key.summary());
            }
            Object::Pkcs7(list) => {
                for c in list {
                    let _ = c.display_name();
                }
            }
            Object::PrivateKey { public, .. } | Object::PublicKey { public, .. } => {
                let _ = (public.modulus_md5(), public.pubkey_md5(), public.bits());
            }
        }
    }
});
