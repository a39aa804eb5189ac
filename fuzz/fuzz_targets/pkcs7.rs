//! PKCS#7 extraction: arbitrary bytes as the content of a signedData ContentInfo, so every input reaches the
//! SignedData walker (version, digest algorithms, certificates, CRLs, signer infos).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // ContentInfo ::= SEQUENCE { contentType signedData, content [0] EXPLICIT <data> }
    let oid: &[u8] = &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    let explicit = ucert::model::der::tlv(0xa0, data);
    let body = [oid, &explicit].concat();
    let info = ucert::model::der::tlv(0x30, &body);
    if let Ok(decoded) = ucert::input::decode(&info) {
        for located in decoded.objects {
            if let ucert::input::Object::Pkcs7(certs) = located.object {
                let pool: Vec<_> = certs.into_iter().map(|c| (c, ucert::untrusted::Untrusted::new("fuzz"))).collect();
                let _ = ucert::analysis::chain::analyze(pool, None, time::OffsetDateTime::UNIX_EPOCH);
            }
        }
    }
});
