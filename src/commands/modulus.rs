//! `ucert modulus FILE...`: the value TAC compares by hand, `openssl x509|req|rsa -noout -modulus | openssl md5`,
//! for every RSA object in every input.

use crate::input::{self, Object, Reading, Source};
use crate::model::PublicKey;
use crate::report::InputWarning;
use crate::report::modulus::{ModulusLine, ModulusOutcome};
use crate::untrusted::Untrusted;

/// The lines, and the remarks on blocks that were read but that openssl would not read as they stand (for such a
/// file the openssl pipeline gives no modulus at all, so the user is told why the two may differ).
pub fn modulus(inputs: &[Source], reading: Reading) -> (Vec<ModulusLine>, Vec<InputWarning>) {
    let mut lines = Vec::new();
    let mut warnings = Vec::new();
    for source in inputs {
        let path = source.display_name();
        let decoded = match input::load(source, reading) {
            Ok(d) => d,
            Err(e) => {
                lines.push(ModulusLine { label: path, outcome: ModulusOutcome::Unreadable(e.to_string()) });
                continue;
            }
        };
        // (key, whether it is a certificate's: `openssl x509 -modulus` also answers for DSA, `req` does not)
        let keys: Vec<(&PublicKey, bool)> = decoded
            .objects
            .iter()
            .flat_map(|l| match &l.object {
                Object::Pkcs7(certs) => certs.iter().map(|c| (&c.public_key, true)).collect::<Vec<_>>(),
                Object::Certificate(c) => vec![(&c.public_key, true)],
                other => other.public_key().into_iter().map(|k| (k, false)).collect(),
            })
            .collect();
        let several = keys.len() > 1;
        for (i, (key, of_certificate)) in keys.iter().enumerate() {
            let label = if several { Untrusted::new(format!("{}#{}", path.raw(), i + 1)) } else { path.clone() };
            let md5 = if *of_certificate { key.x509_modulus_md5() } else { key.modulus_md5() };
            let outcome = match md5 {
                Some(md5) => ModulusOutcome::Md5(md5),
                None => ModulusOutcome::NoModulus { key: key.summary() },
            };
            lines.push(ModulusLine { label, outcome });
        }
        warnings.extend(decoded.remarks.iter().map(|r| InputWarning { path: path.clone(), message: r.to_string() }));
        if let Some(problem) = decoded.problem_summary() {
            lines.push(ModulusLine { label: path, outcome: ModulusOutcome::Unreadable(problem) });
        } else if keys.is_empty() {
            lines.push(ModulusLine { label: path, outcome: ModulusOutcome::Unreadable(decoded.why_nothing()) });
        }
    }
    (lines, warnings)
}
