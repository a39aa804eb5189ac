//! `match` on two arbitrary inputs: the first byte says where to cut the data into a CSR slot and a certificate
//! slot; whatever decodes is paired and every check runs, then the chain analysis on all certificates found.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucert::analysis::checks::{self, Pair, Request};
use ucert::input::{self, Object};
use ucert::model::Certificate;

fuzz_target!(|data: &[u8]| {
    let Some((&cut, rest)) = data.split_first() else { return };
    let at = (cut as usize * rest.len()) / 256;
    let (a, b) = rest.split_at(at);
    let objects = |bytes: &[u8]| input::decode(bytes).map(|d| d.objects.into_iter().map(|l| l.object).collect::<Vec<_>>()).unwrap_or_default();
    let first = objects(a);
    let second = objects(b);
    let mut certs: Vec<Certificate> = Vec::new();
    for o in second.into_iter().chain(first.iter().cloned()) {
        match o {
            Object::Certificate(c) => certs.push(*c),
            Object::Pkcs7(list) => certs.extend(list),
            _ => {}
        }
    }
    let Some(leaf) = certs.first() else { return };
    let now = time::OffsetDateTime::UNIX_EPOCH + time::Duration::days(20_000);
    for o in &first {
        let request = match o {
            Object::Csr(c) => Request::Csr(c),
            Object::PrivateKey { public, .. } | Object::PublicKey { public, .. } => Request::Key(public),
            _ => continue,
        };
        let findings = checks::run_all(&Pair { request, certificate: leaf, cas: &certs[1..], purpose: None, at: now });
        let _ = (checks::headline(&findings), checks::cucm_error(&findings));
    }
    let pool = certs.into_iter().map(|c| (c, ucert::untrusted::Untrusted::default())).collect();
    let _ = ucert::analysis::chain::analyze(pool, None, now);
});
