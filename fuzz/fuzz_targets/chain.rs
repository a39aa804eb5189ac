//! `chain` on many certificates: the input is a bundle (PEM, DER, PKCS#7, as `input::decode` reads it) whose
//! certificates are given `1 + first byte % 8` times each, the way a folder of CA downloads repeats them; the
//! analysis (index, walks, plan, every flag) must not panic, and every certificate must end up in the plan, beside
//! it, or outside every chain.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucert::input::{self, Object};
use ucert::model::Certificate;
use ucert::untrusted::Untrusted;

fuzz_target!(|data: &[u8]| {
    let Some((&repeat, rest)) = data.split_first() else { return };
    let Ok(decoded) = input::decode(rest) else { return };
    let mut certs: Vec<Certificate> = Vec::new();
    for located in decoded.objects {
        match located.object {
            Object::Certificate(c) => certs.push(*c),
            Object::Pkcs7(list) => certs.extend(list),
            _ => {}
        }
    }
    let copies = 1 + usize::from(repeat % 8);
    let given: Vec<(Certificate, Untrusted)> = certs
        .iter()
        .flat_map(|c| std::iter::repeat_n(c, copies))
        .map(|c| (c.clone(), Untrusted::new("fuzz")))
        .collect();
    let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    let a = ucert::analysis::chain::analyze(given, None, now);
    let placed = a.plan.len() + a.alternatives.len() + a.unrelated.len();
    assert_eq!(placed, a.members.len(), "every certificate is placed once");
});
