//! What is this? Decides from the bytes alone whether an input is DER, PEM text or bare base64, and what each
//! object in it is, by the shape of its ASN.1 (never by file name, and a PEM label must agree with its content).

use std::borrow::Cow;

use base64::Engine;
use x509_parser::asn1_rs::Tag;

use super::archive::Archive;
use super::pem_text;
use super::unicode::{ByteOrderMark, Utf16Reader};
use super::{Decoded, InputError, Located, Object, ObjectError, Remark, Unread, key, pkcs7, zipped};
use crate::model::asn1::SignedFrame;
use crate::model::certificate::CertificateError;
use crate::model::der::{self, DerProblem, Element};
use crate::model::{Certificate, Csr};
use crate::model::{KeyFormat, Origin};

/// Decodes everything in one input.
pub fn decode(bytes: &[u8]) -> Result<Decoded, InputError> {
    if zipped::is_zip(bytes) {
        return zipped::decode(bytes, decode_file);
    }
    decode_file(bytes)
}

/// Decodes entry `entry` of a ZIP archive alone (see [`zipped::decode_entry`]).
pub fn decode_entry(bytes: &[u8], entry: u32) -> Result<Decoded, InputError> {
    zipped::decode_entry(bytes, entry, decode_file)
}

/// Decodes one file (a ZIP archive's member or a whole input): archives are named, not opened.
fn decode_file(bytes: &[u8]) -> Result<Decoded, InputError> {
    // first: a ZIP that stores a PEM file uncompressed has its BEGIN line inside
    if let Some(archive) = Archive::recognise(bytes) {
        return Err(InputError::Unrecognized(format!("{}, and give ucert the files inside", archive.advice())));
    }
    let bytes = strip_byte_order_mark(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(InputError::Empty);
    }
    if looks_like_der(&bytes) {
        return Ok(decode_der_stream(&bytes, Origin::Der));
    }
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(&bytes),
    };
    if pem_text::has_markers(&text) {
        return Ok(decode_pem_text(&text));
    }
    if let Some(der) = bare_base64(&text) {
        return Ok(decode_der_stream(&der, Origin::Base64));
    }
    Err(InputError::Unrecognized(describe_unknown(&bytes)))
}

/// Removes a UTF-8 byte order mark, and turns UTF-16 text (Windows Notepad's "Unicode") into UTF-8.
fn strip_byte_order_mark(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(mark) = ByteOrderMark::recognise(bytes) else { return Cow::Borrowed(bytes) };
    let rest = &bytes[mark.len()..];
    let Some(big_endian) = mark.utf16_big_endian() else { return Cow::Borrowed(rest) };
    let mut text = Vec::with_capacity(rest.len());
    // reading a slice cannot fail
    let _ = std::io::Read::read_to_end(&mut Utf16Reader::new(rest, big_endian), &mut text);
    Cow::Owned(text)
}

/// DER starts with a SEQUENCE tag and, unlike text that happens to start with '0', has non-text bytes at once.
fn looks_like_der(bytes: &[u8]) -> bool {
    bytes.first() == Some(&0x30) && bytes.iter().take(8).any(|&b| !(b.is_ascii_graphic() || b.is_ascii_whitespace()))
}

/// Base64 without BEGIN/END lines: only base64 characters and white space, decoding to something DER-shaped.
fn bare_base64(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 8 || !compact.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=') {
        return None;
    }
    let der = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()).ok()?;
    (der.first() == Some(&0x30)).then_some(der)
}

/// One or more DER objects back to back (some tools concatenate DER certificates).
fn decode_der_stream(bytes: &[u8], origin: Origin) -> Decoded {
    let mut decoded = Decoded::default();
    let mut rest = bytes;
    loop {
        let (result, used) = classify(rest);
        match result {
            Ok(object) => decoded.objects.push(Located { object, origin: origin.clone() }),
            Err(error) => decoded.problems.push(Unread { origin: origin.clone(), error }),
        }
        rest = &rest[used.min(rest.len())..];
        if used == 0 || rest.iter().all(|&b| b == 0 || b.is_ascii_whitespace()) || !decoded.problems.is_empty() {
            break;
        }
        if rest.first() != Some(&0x30) {
            decoded.problems.push(Unread {
                origin: origin.clone(),
                error: ObjectError::Unrecognized(format!(
                    "{} bytes of unrecognised data follow the DER object",
                    rest.len()
                )),
            });
            break;
        }
    }
    decoded
}

fn decode_pem_text(text: &str) -> Decoded {
    /// From this many blocks on (a CA's bundle, a chain of thousands), blocks are decoded in parallel.
    const PARALLEL_FROM: usize = 64;
    let blocks = pem_text::scan(text);
    let judged: Vec<Option<Judged>> = if blocks.len() >= PARALLEL_FROM {
        use rayon::prelude::*;
        blocks.into_par_iter().map(judge_block).collect()
    } else {
        blocks.into_iter().map(judge_block).collect()
    };
    let mut decoded = Decoded::default();
    for (result, remark) in judged.into_iter().flatten() {
        match result {
            Ok(located) => decoded.objects.push(located),
            Err(problem) => decoded.problems.push(problem),
        }
        decoded.remarks.extend(remark);
    }
    decoded
}

/// A PEM block's object or problem, and for a block read, what to know about its framing.
type Judged = (Result<Located, Unread>, Option<Remark>);

/// One PEM block judged, or nothing for a block that is part of a key file (EC PARAMETERS).
fn judge_block(block: pem_text::Block) -> Option<Judged> {
    let origin = Origin::Pem { label: block.label.clone(), line: block.line };
    let expected = match expectation(&block.label) {
        Ok(Some(e)) => e,
        Ok(None) => return None,
        Err(error) => return Some((Err(Unread { origin, error }), None)),
    };
    let framing = block.framing;
    let result = block.body.and_then(|body| {
        let (object, _) = classify(&body.der);
        let object = object?;
        check_label(&block.label, expected, &object)?;
        Ok(object)
    });
    Some(match result {
        Ok(object) => {
            let remark = framing.map(|text| Remark { origin: origin.clone(), text });
            (Ok(Located { object, origin }), remark)
        }
        Err(error) => (Err(Unread { origin, error }), None),
    })
}

/// What a PEM label promises.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    Certificate,
    Csr,
    Pkcs7,
    PrivateKey(KeyFormat),
    PublicKey(KeyFormat),
}

/// Ok(None) for labels that are silently skipped; Err for labels of things ucert refuses.
fn expectation(label: &str) -> Result<Option<Expect>, ObjectError> {
    Ok(Some(match label {
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => Expect::Certificate,
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => Expect::Csr,
        "PKCS7" | "PKCS #7 SIGNED DATA" | "CMS" => Expect::Pkcs7,
        "RSA PRIVATE KEY" => Expect::PrivateKey(KeyFormat::Pkcs1),
        "EC PRIVATE KEY" => Expect::PrivateKey(KeyFormat::Sec1),
        "PRIVATE KEY" => Expect::PrivateKey(KeyFormat::Pkcs8),
        "PUBLIC KEY" => Expect::PublicKey(KeyFormat::Spki),
        "RSA PUBLIC KEY" => Expect::PublicKey(KeyFormat::Pkcs1),
        "EC PARAMETERS" => return Ok(None),
        "ENCRYPTED PRIVATE KEY" => return Err(encrypted_key_refusal()),
        "X509 CRL" => return Err(crl_refusal()),
        "DSA PRIVATE KEY" => {
            return Err(ObjectError::Refused(
                "a DSA private key, a key type CUCM does not use and ucert does not read".into(),
            ));
        }
        other => {
            return Err(ObjectError::Refused(format!(
                "a PEM block labelled '{other}', which is not a certificate, CSR or key that ucert reads"
            )));
        }
    }))
}

fn check_label(label: &str, expected: Expect, object: &Object) -> Result<(), ObjectError> {
    let agrees = match (expected, object) {
        (Expect::Certificate, Object::Certificate(_))
        // AD CS's "Download certificate chain, Base 64" is a PKCS#7 under a CERTIFICATE armour: the most common
        // p7b CUCM admins get, read as the chain it is
        | (Expect::Certificate, Object::Pkcs7(_))
        | (Expect::Csr, Object::Csr(_))
        | (Expect::Pkcs7, Object::Pkcs7(_)) => true,
        (Expect::PrivateKey(f), Object::PrivateKey { format, .. })
        | (Expect::PublicKey(f), Object::PublicKey { format, .. }) => f == *format,
        _ => false,
    };
    if agrees {
        Ok(())
    } else {
        Err(ObjectError::Malformed {
            what: format!("the {label} block"),
            detail: format!("it holds {}", object.describe()),
        })
    }
}

fn encrypted_key_refusal() -> ObjectError {
    ObjectError::Encrypted("PKCS#8 ENCRYPTED PRIVATE KEY".into())
}

fn crl_refusal() -> ObjectError {
    ObjectError::Refused("a certificate revocation list (CRL), not a certificate, CSR or key".into())
}

/// Classifies one DER object at the front of `der`; returns it (or why not) and how many bytes it used.
fn classify(der: &[u8]) -> (Result<Object, ObjectError>, usize) {
    let outer = match der::read_element(der) {
        Ok((outer, _)) => outer,
        Err(problem) => {
            let what = guess_kind(der).unwrap_or("DER data");
            let detail = match problem {
                DerProblem::Truncated { .. } => problem.to_string(),
                DerProblem::Malformed(_) => "not valid DER".into(),
            };
            return (Err(ObjectError::Malformed { what: what.into(), detail }), 0);
        }
    };
    let used = outer.raw.len();
    if !outer.is_universal(Tag::Sequence) {
        return (Err(ObjectError::Unrecognized("binary data that is not a DER SEQUENCE".into())), used);
    }
    let kids = match der::children(outer.content()) {
        Ok(kids) => kids,
        Err(problem) => {
            let what = guess_kind(der).unwrap_or("DER data");
            return (Err(ObjectError::Malformed { what: what.into(), detail: problem.to_string() }), used);
        }
    };
    (classify_sequence(outer.raw, &kids), used)
}

fn classify_sequence(raw: &[u8], kids: &[Element<'_>]) -> Result<Object, ObjectError> {
    let is = |i: usize, tag: Tag| kids.get(i).is_some_and(|k| k.is_universal(tag));
    // Signed structures: certificate, CSR, CRL (SEQUENCE { tbs, algorithm, signature BIT STRING }).
    if let [tbs, alg, sig] = kids
        && tbs.is_universal(Tag::Sequence)
        && alg.is_universal(Tag::Sequence)
        && sig.is_universal(Tag::BitString)
    {
        // the parts and the signed part's fields, read here to tell what it is, are what the model reads next
        let (kind, fields) = signed_kind(tbs);
        let frame = || SignedFrame::from_parts(raw, raw.len(), tbs, alg, sig).map_err(CertificateError);
        return match kind {
            SignedKind::Certificate => frame()
                .and_then(|frame| Certificate::from_frame(frame, &fields))
                .map(|c| Object::Certificate(Box::new(c)))
                .map_err(|e| ObjectError::Malformed { what: "certificate".into(), detail: e.0 }),
            SignedKind::Csr => frame()
                .and_then(|frame| Csr::from_frame(frame, &fields))
                .map(|c| Object::Csr(Box::new(c)))
                .map_err(|e| ObjectError::Malformed { what: "certificate signing request".into(), detail: e.0 }),
            SignedKind::Crl => Err(crl_refusal()),
            SignedKind::Unknown => {
                Err(ObjectError::Unrecognized("a signed ASN.1 structure that is not a certificate, CSR or CRL".into()))
            }
        };
    }
    if is(0, Tag::Oid) {
        return pkcs7::certificates(kids).map(Object::Pkcs7);
    }
    if is(0, Tag::Integer) {
        let version = der::small_uint(&kids[0]);
        if version == Some(3) && is(1, Tag::Sequence) {
            return Err(ObjectError::Refused(
                "a PKCS#12 (.pfx/.p12) archive: extract the certificate with \
                 'openssl pkcs12 -in FILE -nokeys -out cert.pem'"
                    .into(),
            ));
        }
        if kids.len() >= 3 && is(1, Tag::Sequence) && is(2, Tag::OctetString) {
            let public = key::private_pkcs8(kids)?;
            return Ok(Object::PrivateKey { public, format: KeyFormat::Pkcs8 });
        }
        if kids.len() >= 9 && kids.iter().take(9).all(|k| k.is_universal(Tag::Integer)) {
            let public = key::rsa_private_pkcs1(kids)?;
            return Ok(Object::PrivateKey { public, format: KeyFormat::Pkcs1 });
        }
        if version == Some(1) && is(1, Tag::OctetString) {
            let public = key::ec_private_sec1(kids, None)?;
            return Ok(Object::PrivateKey { public, format: KeyFormat::Sec1 });
        }
        if kids.len() == 2 && is(1, Tag::Integer) {
            let public = key::rsa_public_pkcs1(kids)?;
            return Ok(Object::PublicKey { public, format: KeyFormat::Pkcs1 });
        }
        if kids.len() == 6 && kids.iter().all(|k| k.is_universal(Tag::Integer)) {
            return Err(ObjectError::Refused(
                "a DSA private key, a key type CUCM does not use and ucert does not read".into(),
            ));
        }
    }
    if kids.len() == 2 && is(0, Tag::Sequence) && is(1, Tag::BitString) {
        let public = key::spki(raw)?;
        return Ok(Object::PublicKey { public, format: KeyFormat::Spki });
    }
    if kids.len() == 2 && is(0, Tag::Sequence) && is(1, Tag::OctetString) {
        return Err(encrypted_key_refusal());
    }
    Err(ObjectError::Unrecognized("DER data that is not a certificate, CSR, PKCS#7 or key".into()))
}

enum SignedKind {
    Certificate,
    Csr,
    Crl,
    Unknown,
}

/// Tells a certificate, a CSR and a CRL apart by the first fields of the signed part; returns them too (none when
/// they cannot be read: then it is not a certificate or CSR).
fn signed_kind<'a>(tbs: &Element<'a>) -> (SignedKind, Vec<Element<'a>>) {
    let Ok(fields) = der::children(tbs.content()) else { return (SignedKind::Unknown, Vec::new()) };
    let kind = kind_of_fields(&fields);
    (kind, fields)
}

fn kind_of_fields(fields: &[Element<'_>]) -> SignedKind {
    let is = |i: usize, tag: Tag| fields.get(i).is_some_and(|f| f.is_universal(tag));
    let first_child_is_oid = |i: usize| {
        fields.get(i).and_then(|f| der::read_element(f.content()).ok()).is_some_and(|(el, _)| el.is_universal(Tag::Oid))
    };
    let is_time = |i: usize| is(i, Tag::UtcTime) || is(i, Tag::GeneralizedTime);
    if fields.first().is_some_and(|f| f.is_context(0)) {
        return SignedKind::Certificate; // [0] EXPLICIT version
    }
    if is(0, Tag::Sequence) && first_child_is_oid(0) {
        return SignedKind::Crl; // v1 CRL: signature algorithm first
    }
    if is(0, Tag::Integer) && is(1, Tag::Sequence) {
        if first_child_is_oid(1) {
            // serial + algorithm (v1 certificate) or version + algorithm (v2 CRL, whose 4th field is a time)
            return if is_time(3) { SignedKind::Crl } else { SignedKind::Certificate };
        }
        if is(2, Tag::Sequence) {
            return SignedKind::Csr; // version, subject Name, SubjectPublicKeyInfo, [0] attributes
        }
    }
    SignedKind::Unknown
}

/// A best guess at what truncated DER was meant to be, from the first bytes that are present.
fn guess_kind(der: &[u8]) -> Option<&'static str> {
    // SEQUENCE { SEQUENCE { [0] ... : a certificate's tbsCertificate with its version.
    let inner = der.get(1).map(|&l| if l & 0x80 != 0 { 2 + (l & 0x7f) as usize } else { 2 })?;
    let tbs = der.get(inner)?;
    if *tbs == 0x30 {
        let tbs_len = der.get(inner + 1).map(|&l| if l & 0x80 != 0 { 2 + (l & 0x7f) as usize } else { 2 })?;
        return match der.get(inner + tbs_len) {
            Some(0xa0) => Some("certificate"),
            Some(0x02) => Some("certificate or CSR"),
            _ => None,
        };
    }
    if *tbs == 0x06 {
        return Some("PKCS#7");
    }
    None
}

/// For input that is neither PEM, DER nor base64: say what it seems to be.
fn describe_unknown(bytes: &[u8]) -> String {
    // first: their magic numbers are sure, and metadata can be mostly text
    if let Some(kind) = binary_kind(bytes) {
        return kind.into();
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let text = sample.iter().filter(|&&b| b.is_ascii_graphic() || b.is_ascii_whitespace()).count();
    // UTF-8 (the sample may end inside a character) with few control characters is text too: typographic dashes
    // and quotes from an e-mail are not ASCII
    let utf8 = match std::str::from_utf8(sample) {
        Ok(s) => Some(s),
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&sample[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    let few_controls = |s: &str| s.chars().filter(|c| c.is_control() && !c.is_whitespace()).count() * 10 < s.len();
    if text * 10 >= sample.len() * 9 || utf8.is_some_and(few_controls) {
        let s = String::from_utf8_lossy(sample);
        if s.starts_with("ssh-") || s.starts_with("ecdsa-sha2-") {
            return "an OpenSSH public key, not a certificate, CSR or key that ucert reads".into();
        }
        // (an e-mail's headers alone can outgrow the sample: Exchange writes kilobytes of them)
        if is_mime_message(&String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)])) {
            return "a saved e-mail (a MIME message, .eml): save the certificate attached to it as a file, and give \
                    ucert that file"
                .into();
        }
        if s.contains("Certificate:") && s.contains("Data:") {
            return "certificate text without its PEM block: paste the lines from -----BEGIN CERTIFICATE----- to \
                    -----END CERTIFICATE----- too"
                .into();
        }
        pem_text::near_miss(&s)
            .unwrap_or_else(|| "text without a PEM block (no -----BEGIN line), and not base64".into())
    } else {
        "binary data that is neither DER nor PEM".into()
    }
}

/// Binary files that land beside certificates, named by their first bytes: an Outlook message the certificate came
/// attached to, and the metadata macOS leaves in folders and ZIPs made on a Mac.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const KINDS: [(&[u8], &str); 3] = [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
            "an Outlook message (.msg) or an older Office document (an OLE compound file): save the certificate \
             attached to it as a file, and give ucert that file",
        ),
        (
            b"\x00\x05\x16\x07",
            "macOS metadata (an AppleDouble '._' file, which a Mac leaves on USB drives and in ZIPs), not a \
             certificate: the file it belongs to lies beside it",
        ),
        (b"\x00\x00\x00\x01Bud1", "macOS Finder's folder settings (.DS_Store), not a certificate"),
    ];
    KINDS.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, kind)| *kind)
}

/// An e-mail saved as a file (.eml): header lines first, among them MIME's.
fn is_mime_message(text: &str) -> bool {
    // the headers end at the first empty line; a MIME message declares its version or content type there
    let headers = text.split("\n\n").next().unwrap_or_default();
    let headers = headers.split("\r\n\r\n").next().unwrap_or_default();
    // without their end in the text, the last line may be cut short
    let headers =
        if headers.len() == text.len() { headers.rsplit_once('\n').map_or("", |(whole, _)| whole) } else { headers };
    let mut lines = headers.lines().filter(|l| !l.starts_with([' ', '\t']));
    let header = |l: &str| l.split_once(':').is_some_and(|(name, _)| !name.is_empty() && !name.contains(' '));
    lines.clone().all(header)
        && lines.any(|l| {
            let name = l.split_once(':').map_or("", |(n, _)| n);
            name.eq_ignore_ascii_case("MIME-Version") || name.eq_ignore_ascii_case("Content-Type")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_e_mails_are_told_by_their_headers() {
        assert!(is_mime_message("From: a@b\nMIME-Version: 1.0\nContent-Type: multipart/mixed;\n boundary=x\n\nbody"));
        assert!(is_mime_message("Received: by x\r\ncontent-type: text/plain\r\n\r\nMIIB"));
        // prose, headers without MIME's, and a header after prose are not e-mails
        assert!(!is_mime_message("Please find the certificate attached.\nContent-Type: text/plain\n"));
        assert!(!is_mime_message("From: a@b\nSubject: the certificate\n\nbody"));
        assert!(!is_mime_message(""));
        // headers longer than what is looked at: the line cut short is not held against them
        let long = format!("Received: {}\nMIME-Version: 1.0\nX-Exchange-Organization: y", "x".repeat(10_000));
        assert!(is_mime_message(&long[..long.find("X-Exchange").unwrap() + 10]));
    }

    #[test]
    fn text_starting_with_zero_is_not_der() {
        assert!(!looks_like_der(b"0123 hello"));
        assert!(looks_like_der(&[0x30, 0x82, 0x01, 0x00]));
    }

    #[test]
    fn utf16_text_is_converted() {
        let mut bytes = vec![0xff, 0xfe];
        for c in "ab".encode_utf16() {
            bytes.extend_from_slice(&c.to_le_bytes());
        }
        assert_eq!(&*strip_byte_order_mark(&bytes), b"ab");
    }

    #[test]
    fn junk_text_is_described() {
        let err = decode(b"hello world, this is not a certificate").unwrap_err();
        assert!(err.to_string().contains("no -----BEGIN line"));
    }

    #[test]
    fn empty_and_blank_inputs_are_empty() {
        assert!(matches!(decode(b""), Err(InputError::Empty)));
        assert!(matches!(decode(b"\xef\xbb\xbf \n"), Err(InputError::Empty)));
    }

    #[test]
    fn unknown_label_is_refused_by_name() {
        let d = decode(b"-----BEGIN FOO BAR-----\nMAMCAQA=\n-----END FOO BAR-----\n").unwrap();
        assert!(d.objects.is_empty());
        assert!(d.problems[0].to_string().contains("'FOO BAR'"));
    }

    #[test]
    fn ec_parameters_block_is_skipped() {
        let d = decode(b"-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n").unwrap();
        assert!(d.problems.is_empty());
        assert!(matches!(d.into_objects(), Err(InputError::NothingFound)));
    }

    #[test]
    fn truncated_der_says_truncated() {
        let d = decode(&[0x30, 0x82, 0x04, 0x00, 0x30, 0x82, 0x03, 0x00, 0xa0, 0x03]).unwrap();
        let msg = d.problems[0].to_string();
        assert!(msg.contains("truncated"), "{msg}");
        assert!(msg.starts_with("certificate"), "{msg}");
    }
}
