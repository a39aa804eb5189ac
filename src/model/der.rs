//! The little ASN.1 this crate walks or writes itself: the outer shape of an unlabelled DER blob, PKCS#7 and key
//! containers (x509-parser covers certificates and CSRs, not these), and the one structure we re-encode (an
//! RSA SubjectPublicKeyInfo built from a private key). Reading goes through `asn1-rs`, which bounds nesting depth,
//! except for the plain headers nearly every element has, read here by hand into the same values ([`read_plain`]).

use std::borrow::Cow;

use x509_parser::asn1_rs::{Any, Class, FromBer, Header, Length, Tag};

/// One element read from a buffer: its parsed form and the exact bytes it occupied (header included).
#[derive(Clone)]
pub struct Element<'a> {
    pub any: Any<'a>,
    pub raw: &'a [u8],
}

impl<'a> Element<'a> {
    pub fn tag(&self) -> Tag {
        self.any.header.tag()
    }
    pub fn is_universal(&self, tag: Tag) -> bool {
        self.any.header.class() == Class::Universal && self.any.header.tag() == tag
    }
    pub fn is_context(&self, n: u32) -> bool {
        self.any.header.class() == Class::ContextSpecific && self.any.header.tag().0 == n
    }
    pub fn indefinite(&self) -> bool {
        matches!(self.any.header.length(), Length::Indefinite)
    }
    /// The content octets; for an indefinite-length element the end-of-contents marker is excluded.
    pub fn content(&self) -> &'a [u8] {
        self.any.data
    }
}

/// Why a buffer could not be read as BER/DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DerProblem {
    /// The data ends before the element does (`declared` bytes announced, `available` present).
    Truncated { declared: Option<usize>, available: usize },
    /// Anything else the parser refused.
    Malformed(String),
}

impl std::fmt::Display for DerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DerProblem::Truncated { declared: Some(d), available } => {
                write!(f, "truncated: the data declares {d} bytes but only {available} are present")
            }
            DerProblem::Truncated { declared: None, available } => {
                write!(f, "truncated: the data ends after {available} bytes, inside an element")
            }
            DerProblem::Malformed(m) => write!(f, "malformed DER ({m})"),
        }
    }
}

/// Reads one element (BER, so indefinite lengths in PKCS#7 from Windows are accepted) from the front of `input`.
pub fn read_element(input: &[u8]) -> Result<(Element<'_>, &[u8]), DerProblem> {
    if let Some(plain) = read_plain(input) {
        return Ok(plain);
    }
    match Any::from_ber(input) {
        Ok((rest, any)) => {
            let used = input.len() - rest.len();
            Ok((Element { any, raw: &input[..used] }, rest))
        }
        Err(e) => Err(classify(input, e)),
    }
}

fn classify(input: &[u8], e: x509_parser::nom::Err<x509_parser::asn1_rs::Error>) -> DerProblem {
    use x509_parser::nom::Err;
    match e {
        Err::Incomplete(_) => DerProblem::Truncated { declared: declared_length(input), available: input.len() },
        Err::Error(err) | Err::Failure(err) => {
            let text = format!("{err:?}");
            // an indefinite length (0x80) whose end-of-contents never comes is cut short, too
            if text.contains("Incomplete") || input.get(1) == Some(&0x80) {
                DerProblem::Truncated { declared: declared_length(input), available: input.len() }
            } else {
                DerProblem::Malformed(text)
            }
        }
    }
}

/// The element at the front of `input` when its header is plain: a tag number under 31 in its one identifier byte
/// and a definite length in at most four bytes, its content all there. That is nearly every element of a
/// certificate, and asn1-rs reads exactly these headers, in BER as in DER, into the values made here (the same
/// class, form, tag, length and raw tag byte, the same content and rest; its end-of-contents case gives the same for
/// a definite length), at several times the cost. None for anything else (a high tag number, an indefinite or a
/// longer length, a truncated element), which asn1-rs reads and judges.
pub fn read_plain(input: &[u8]) -> Option<(Element<'_>, &[u8])> {
    let (header_size, length) = definite_header(input, 4)?;
    let (&identifier, _) = input.split_first()?;
    let tag = identifier & 0x1f;
    let (data, rest) = input.get(header_size..)?.split_at_checked(length)?;
    let (raw, identifier_octet) = (input.get(..input.len() - rest.len())?, input.get(..1)?);
    let class = match identifier >> 6 {
        0 => Class::Universal,
        1 => Class::Application,
        2 => Class::ContextSpecific,
        _ => Class::Private,
    };
    let header = Header::new(class, identifier & 0x20 != 0, Tag(u32::from(tag)), Length::Definite(length))
        .with_raw_tag(Some(Cow::Borrowed(identifier_octet)));
    Some((Element { any: Any::new(header, data), raw }, rest))
}

/// The total size (header + content) an element's definite-length header announces, if it can be read.
pub fn declared_length(input: &[u8]) -> Option<usize> {
    let (header_size, length) = definite_header(input, 8)?;
    length.checked_add(header_size)
}

/// The size of the header at the front of `input` and the content length it announces, when the tag number fits
/// in its one identifier byte (multi-byte tags are not used by the structures read here) and the length is
/// definite, in at most `max_length_bytes` bytes after the first.
fn definite_header(input: &[u8], max_length_bytes: usize) -> Option<(usize, usize)> {
    let (&identifier, after) = input.split_first()?;
    let (&first_length, after) = after.split_first()?;
    if identifier & 0x1f == 0x1f {
        return None;
    }
    if first_length < 0x80 {
        return Some((2, usize::from(first_length)));
    }
    let count = usize::from(first_length & 0x7f);
    if count == 0 || count > max_length_bytes {
        return None;
    }
    let length =
        after.get(..count)?.iter().try_fold(0usize, |acc, &b| acc.checked_mul(256)?.checked_add(usize::from(b)))?;
    Some((2 + count, length))
}

/// All elements inside a constructed element's content, in order.
pub fn children<'a>(content: &'a [u8]) -> Result<Vec<Element<'a>>, DerProblem> {
    // room for a certificate's or CSR's own fields at once (most lists here have 2 to 8), not grown from 4
    let mut out = Vec::with_capacity(8);
    let mut rest = content;
    while !rest.is_empty() {
        let (el, r) = read_element(rest)?;
        out.push(el);
        rest = r;
    }
    Ok(out)
}

/// A DER TLV: tag byte, definite length, content.
pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 6);
    out.push(tag);
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

/// A DER INTEGER holding the unsigned big-endian value `magnitude` (a leading 00 added when the top bit is set).
pub fn unsigned_integer(magnitude: &[u8]) -> Vec<u8> {
    let trimmed = trim_leading_zeros(magnitude);
    let mut content = Vec::with_capacity(trimmed.len() + 1);
    if trimmed.first().is_none_or(|b| b & 0x80 != 0) {
        content.push(0);
    }
    content.extend_from_slice(trimmed);
    tlv(0x02, &content)
}

/// A big-endian magnitude without its leading zero bytes (at least one byte is kept for zero).
pub fn trim_leading_zeros(bytes: &[u8]) -> &[u8] {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    if skip == bytes.len() { &bytes[bytes.len().saturating_sub(1)..] } else { &bytes[skip..] }
}

/// The SubjectPublicKeyInfo of an rsaEncryption key, as openssl encodes it (`-pubout`).
pub fn rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    const RSA_ALG: &[u8] = &[0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
    let mut rsa_key = unsigned_integer(modulus);
    rsa_key.extend(unsigned_integer(exponent));
    let rsa_key = tlv(0x30, &rsa_key);
    let mut bits = vec![0u8];
    bits.extend(rsa_key);
    let mut body = RSA_ALG.to_vec();
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

/// The SubjectPublicKeyInfo of a key whose AlgorithmIdentifier is already DER (`algorithm`) and whose public
/// key bits are `key`.
pub fn spki(algorithm: &[u8], key: &[u8]) -> Vec<u8> {
    let mut bits = vec![0u8];
    bits.extend_from_slice(key);
    let mut body = algorithm.to_vec();
    body.extend(tlv(0x03, &bits));
    tlv(0x30, &body)
}

/// Reads an INTEGER element's content as a small unsigned number (for version fields).
pub fn small_uint(el: &Element<'_>) -> Option<u64> {
    if !el.is_universal(Tag::Integer) || el.content().is_empty() || el.content().len() > 8 {
        return None;
    }
    if el.content()[0] & 0x80 != 0 {
        return None;
    }
    Some(el.content().iter().fold(0u64, |acc, b| (acc << 8) | *b as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    use x509_parser::asn1_rs::FromDer;

    /// The parts of an element that its readers can tell apart, to compare two readings.
    fn parts<'a>(element: &Any<'a>, rest: &'a [u8]) -> impl PartialEq + std::fmt::Debug + 'a {
        let header = &element.header;
        let raw_tag = header.raw_tag().map(<[u8]>::to_vec);
        let (data, rest) = ((element.data.as_ptr(), element.data.len()), (rest.as_ptr(), rest.len()));
        (header.class(), header.constructed(), header.tag(), header.length(), raw_tag, data, rest)
    }

    #[test]
    fn a_plain_header_reads_as_asn1_rs_reads_it_in_ber_and_in_der() {
        // every identifier byte, before lengths of every form (short, long in one to five bytes, minimal or not,
        // indefinite, reserved), each with as much content as it says, a byte less and a byte more
        let lengths: [&[u8]; 13] = [
            &[0x00],
            &[0x05],
            &[0x7f],
            &[0x81, 0x00],
            &[0x81, 0x05],
            &[0x81, 0x80],
            &[0x82, 0x00, 0x05],
            &[0x82, 0x01, 0x00],
            &[0x83, 0x00, 0x01, 0x00],
            &[0x84, 0x00, 0x00, 0x01, 0x01],
            &[0x85, 0x00, 0x00, 0x00, 0x00, 0x05],
            &[0x80],
            &[0xff],
        ];
        let (mut plain, mut compared) = (0, 0);
        for identifier in 0..=255u8 {
            for length in lengths {
                let declared = declared_length(&[&[identifier][..], length].concat()).unwrap_or(2);
                for size in [declared.saturating_sub(1), declared, declared + 1] {
                    let mut input = vec![identifier];
                    input.extend_from_slice(length);
                    // content that is itself an element, so that a constructed one reads either way
                    input.resize(size.max(input.len()), 0x05);
                    let Some((element, rest)) = read_plain(&input) else { continue };
                    plain += 1;
                    assert_eq!(element.raw, &input[..input.len() - rest.len()]);
                    let ber = Any::from_ber(&input).expect("asn1-rs reads a plain element in BER");
                    assert_eq!(parts(&element.any, rest), parts(&ber.1, ber.0), "BER {input:02x?}");
                    if let Ok(der) = Any::from_der(&input) {
                        compared += 1;
                        assert_eq!(parts(&element.any, rest), parts(&der.1, der.0), "DER {input:02x?}");
                    }
                }
            }
        }
        assert!(plain > 5_000 && compared == plain, "{plain} plain, {compared} compared in DER");
    }

    #[test]
    fn what_is_not_plain_is_left_to_asn1_rs() {
        for input in [
            &[0x1f, 0x21, 0x01, 0x00][..],                     // a tag number in a second byte
            &[0x30, 0x80, 0x05, 0x00, 0x00, 0x00],             // an indefinite length
            &[0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00], // a length in five bytes
            &[0x04, 0x03, 0x00],                               // cut short
            &[0x04],
            &[],
        ] {
            assert!(read_plain(input).is_none(), "{input:02x?}");
        }
        // read_element still reads what asn1-rs reads
        assert!(read_element(&[0x30, 0x80, 0x05, 0x00, 0x00, 0x00]).is_ok());
        assert!(matches!(read_element(&[0x04, 0x03, 0x00]), Err(DerProblem::Truncated { .. })));
    }

    #[test]
    fn long_lengths_are_encoded_in_minimal_bytes() {
        let content = vec![0u8; 300];
        let out = tlv(0x04, &content);
        assert_eq!(&out[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(out.len(), 304);
    }

    #[test]
    fn integers_get_a_sign_byte_only_when_needed() {
        assert_eq!(unsigned_integer(&[0x01, 0x00, 0x01]), vec![0x02, 0x03, 0x01, 0x00, 0x01]);
        assert_eq!(unsigned_integer(&[0x00, 0x80]), vec![0x02, 0x02, 0x00, 0x80]);
        assert_eq!(unsigned_integer(&[]), vec![0x02, 0x01, 0x00]);
    }

    #[test]
    fn truncated_element_reports_declared_and_available() {
        let data = [0x30, 0x82, 0x01, 0x00, 0x02, 0x01];
        match read_element(&data) {
            Err(DerProblem::Truncated { declared, available }) => {
                assert_eq!(declared, Some(260));
                assert_eq!(available, 6);
            }
            other => panic!("expected truncation, got {:?}", other.err()),
        }
    }

    #[test]
    fn children_walks_a_sequence() {
        let seq = tlv(0x30, &[unsigned_integer(&[1]), unsigned_integer(&[2])].concat());
        let (el, rest) = read_element(&seq).unwrap();
        assert!(rest.is_empty());
        let kids = children(el.content()).unwrap();
        assert_eq!(kids.len(), 2);
        assert_eq!(small_uint(&kids[1]), Some(2));
    }
}
