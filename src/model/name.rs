//! Distinguished names as people read and compare them: openssl's one-line order and spelling, every string type
//! decoded (including the BMPString and T61String that x509-parser's `as_str` refuses), and a canonical form for
//! matching an issuer to a subject.

use std::borrow::Cow;

use x509_parser::asn1_rs::{Any, Class, FromDer, Oid, Tag};
use x509_parser::x509::X509Name;

use super::{der, oids};
use crate::untrusted::Untrusted;

/// One attribute of a name, such as `CN = cucm-pub.example.com`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NameAttribute {
    /// openssl's short name (`CN`, `OU`, `emailAddress`), or the dotted OID when it has none. Borrowed from a
    /// static table for the usual attributes: `pair` holds tens of thousands of names.
    pub name: Cow<'static, str>,
    pub oid: Cow<'static, str>,
    /// Whatever the CA or the requester wrote: shown escaped, compared and serialised exactly.
    pub value: Untrusted,
}

/// A distinguished name, in the order of its encoding (the order openssl prints).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DistinguishedName {
    /// Relative distinguished names; each usually holds one attribute.
    pub rdns: Vec<Vec<NameAttribute>>,
    /// Problems met while decoding (an undecodable string, say), to be shown as warnings.
    pub notes: Vec<String>,
}

impl DistinguishedName {
    /// Reads a `Name` from its DER (the whole SEQUENCE, as it stands in a certificate or CSR). A well-formed name,
    /// which is nearly every name, is read straight from its bytes; any other goes through x509-parser's `X509Name`,
    /// which decides what a malformed one gives (it keeps the RDNs before a broken one, and takes a string that
    /// breaks its type's rules): `X509Name` makes lists that are thrown away at once, and reading names that way
    /// was a sixth of the instructions spent decoding a batch of certificates and CSRs. The error is `X509Name`'s.
    pub fn from_der(raw: &[u8]) -> Result<DistinguishedName, String> {
        match Self::from_well_formed_der(raw) {
            Some(dn) => Ok(dn),
            None => Self::through_x509_parser(raw),
        }
    }

    /// The name as `X509Name` reads it, the reading `from_der` falls back to: its value, or its error as text.
    fn through_x509_parser(raw: &[u8]) -> Result<DistinguishedName, String> {
        X509Name::from_der(raw).map(|(_, name)| Self::from_x509(&name)).map_err(|e| format!("{e:?}"))
    }

    /// The name when every element of it is one `X509Name` reads the same way, with nothing left over: a SEQUENCE of
    /// non-empty SETs of SEQUENCEs of an OBJECT IDENTIFIER and a value, each header plain ([`der::read_plain`], which
    /// reads what asn1-rs reads into the same values) and each element filling its parent to the last byte. None for
    /// anything else, which [`DistinguishedName::from_der`] leaves to `X509Name`: the two readings differ only in
    /// what they allocate, which the tests below hold them to.
    fn from_well_formed_der(raw: &[u8]) -> Option<DistinguishedName> {
        /// The element at the front of `bytes` when its identifier octet is `identifier`, and what follows it.
        fn element(bytes: &[u8], identifier: u8) -> Option<(der::Element<'_>, &[u8])> {
            let (element, rest) = der::read_plain(bytes)?;
            (element.raw.first() == Some(&identifier)).then_some((element, rest))
        }
        // the universal identifiers, SEQUENCE and SET constructed, OBJECT IDENTIFIER primitive
        const SEQUENCE: u8 = 0x30;
        const SET: u8 = 0x31;
        const OID: u8 = 0x06;
        let (name, rest) = element(raw, SEQUENCE)?;
        if !rest.is_empty() {
            return None;
        }
        let mut dn = DistinguishedName::default();
        let mut rdns = name.content();
        while !rdns.is_empty() {
            let (rdn, after) = element(rdns, SET)?;
            rdns = after;
            let mut atvs = rdn.content();
            if atvs.is_empty() {
                return None;
            }
            let mut attrs = Vec::with_capacity(1);
            while !atvs.is_empty() {
                let (atv, after) = element(atvs, SEQUENCE)?;
                atvs = after;
                let (oid, after) = element(atv.content(), OID)?;
                let (value, after) = der::read_plain(after)?;
                if !after.is_empty() {
                    return None;
                }
                attrs.push(dn.attribute(&Oid::new(Cow::Borrowed(oid.content())), &value.any));
            }
            dn.rdns.push(attrs);
        }
        Some(dn)
    }

    pub fn from_x509(name: &X509Name<'_>) -> DistinguishedName {
        let mut dn = DistinguishedName { rdns: Vec::with_capacity(name.iter().size_hint().0), notes: Vec::new() };
        for rdn in name.iter() {
            let mut attrs = Vec::with_capacity(rdn.iter().size_hint().0);
            for atv in rdn.iter() {
                attrs.push(dn.attribute(atv.attr_type(), atv.attr_value()));
            }
            dn.rdns.push(attrs);
        }
        dn
    }

    /// One attribute with its value decoded; a value that does not decode cleanly leaves a note on the name.
    fn attribute(&mut self, oid: &Oid<'_>, value: &Any<'_>) -> NameAttribute {
        let oid = oids::dotted(oid);
        let name = oids::attribute_short_name(&oid).map(Cow::Borrowed).unwrap_or_else(|| oid.clone());
        let (value, note) = decode_string(value.header.class(), value.header.tag(), value.data);
        if let Some(note) = note {
            self.notes.push(format!("{name}: {note}"));
        }
        NameAttribute { name, oid, value: Untrusted::new(value) }
    }

    /// All attributes, flattened, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &NameAttribute> {
        self.rdns.iter().flatten()
    }

    /// The first value of an attribute given by its short name (`CN`, `OU`, ...).
    pub fn get(&self, short_name: &str) -> Option<&Untrusted> {
        self.attributes().find(|a| a.name == short_name).map(|a| &a.value)
    }

    /// The common name, the field CUCM puts the host name in.
    pub fn common_name(&self) -> Option<&Untrusted> {
        self.get("CN")
    }

    pub fn is_empty(&self) -> bool {
        self.rdns.iter().all(|r| r.is_empty())
    }

    /// The name as `openssl x509 -subject` prints it: `C = AU, ST = NSW, ..., CN = host`.
    pub fn to_openssl_string(&self) -> Untrusted {
        Untrusted::new(
            self.rdns
                .iter()
                .map(|rdn| {
                    rdn.iter().map(|a| format!("{} = {}", a.name, a.value.raw())).collect::<Vec<_>>().join(" + ")
                })
                .collect::<Vec<_>>()
                .join(", "),
        )
    }

    /// A form for matching names as RFC 5280 (section 7.1) does: attribute types in order, values compared
    /// case-insensitively with runs of white space collapsed.
    pub fn canonical(&self) -> Vec<Vec<(String, String)>> {
        let mut out = Vec::with_capacity(self.rdns.len());
        self.visit_canonical(|rdn| {
            out.push(rdn.iter().map(|(oid, value)| (oid.to_string(), value.to_string())).collect())
        });
        out
    }

    /// Calls `visit` with each RDN of [`DistinguishedName::canonical`] in turn, without making the whole form: a
    /// batch of 40,000 files hashes every subject, and most RDNs hold one attribute.
    pub fn visit_canonical(&self, mut visit: impl FnMut(&[(&str, &str)])) {
        let mut value = String::new();
        for rdn in &self.rdns {
            match rdn.as_slice() {
                [a] => {
                    value.clear();
                    push_canonical(a.value.raw(), &mut value);
                    visit(&[(&a.oid, &value)]);
                }
                _ => {
                    let mut set: Vec<(&str, String)> =
                        rdn.iter().map(|a| (a.oid.as_ref(), canonical_value(a.value.raw()))).collect();
                    set.sort();
                    visit(&set.iter().map(|(oid, value)| (*oid, value.as_str())).collect::<Vec<_>>());
                }
            }
        }
    }

    /// True when both names denote the same entity (see [`DistinguishedName::canonical`]).
    pub fn same_as(&self, other: &DistinguishedName) -> bool {
        self.canonical() == other.canonical()
    }
}

/// A value as names compare it: runs of white space one space, none at either end, lower case.
pub fn canonical_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    push_canonical(value, &mut out);
    out
}

/// Appends [`canonical_value`] of `value` to `out`, which keeps its allocation from one value to the next.
pub fn push_canonical(value: &str, out: &mut String) {
    let start = out.len();
    for (i, word) in value.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
    }
    let added = &mut out[start..];
    if added.is_ascii() {
        added.make_ascii_lowercase();
    } else {
        // the whole text at once: a final sigma lower-cases by what surrounds it
        let lower = added.to_lowercase();
        out.truncate(start);
        out.push_str(&lower);
    }
}

/// Decodes a directory string of any ASN.1 string type; returns the text and, when the bytes were not valid for
/// their type, a note saying so (the text then holds what could be recovered).
pub fn decode_string(class: Class, tag: Tag, data: &[u8]) -> (String, Option<String>) {
    if class != Class::Universal {
        return (format!("#{}", crate::model::digest::hex_lower(data)), Some("value of a non-universal type".into()));
    }
    match tag {
        Tag::Utf8String => match std::str::from_utf8(data) {
            Ok(s) => (s.to_string(), None),
            Err(_) => (String::from_utf8_lossy(data).into_owned(), Some("UTF8String is not valid UTF-8".into())),
        },
        Tag::PrintableString | Tag::Ia5String | Tag::VisibleString | Tag::NumericString => {
            if data.is_ascii() {
                (data.iter().map(|&b| b as char).collect(), None)
            } else {
                (latin1(data), Some(format!("{} holds non-ASCII bytes", tag_name(tag))))
            }
        }
        // T.61 is read as Latin-1, as openssl and most viewers do.
        Tag::T61String | Tag::VideotexString | Tag::GeneralString | Tag::GraphicString => (latin1(data), None),
        Tag::BmpString => {
            if !data.len().is_multiple_of(2) {
                return (latin1(data), Some("BMPString has an odd number of bytes".into()));
            }
            let units = data.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
            let decoded: Result<String, _> = char::decode_utf16(units).collect();
            match decoded {
                Ok(s) => (s, None),
                Err(_) => {
                    let units = data.chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]]));
                    let lossy: String =
                        char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
                    (lossy, Some("BMPString holds unpaired surrogates".into()))
                }
            }
        }
        Tag::UniversalString => {
            if !data.len().is_multiple_of(4) {
                return (latin1(data), Some("UniversalString length is not a multiple of 4".into()));
            }
            let mut bad = false;
            let s: String = data
                .chunks_exact(4)
                .map(|c| {
                    char::from_u32(u32::from_be_bytes([c[0], c[1], c[2], c[3]])).unwrap_or_else(|| {
                        bad = true;
                        char::REPLACEMENT_CHARACTER
                    })
                })
                .collect();
            (s, bad.then(|| "UniversalString holds invalid code points".into()))
        }
        other => (
            format!("#{}", crate::model::digest::hex_lower(data)),
            Some(format!("value of type {} is not a string", tag_name(other))),
        ),
    }
}

fn latin1(data: &[u8]) -> String {
    data.iter().map(|&b| b as char).collect()
}

fn tag_name(tag: Tag) -> String {
    match tag {
        Tag::PrintableString => "PrintableString".into(),
        Tag::Ia5String => "IA5String".into(),
        Tag::VisibleString => "VisibleString".into(),
        Tag::NumericString => "NumericString".into(),
        other => format!("tag {}", other.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subject and issuer of the certificates and CSRs under `dir`, as their DER: (file, which, bytes).
    fn names_under(dir: &std::path::Path) -> Vec<(String, &'static str, Vec<u8>)> {
        use crate::input::{self, Object, Source};
        use x509_parser::prelude::{X509Certificate, X509CertificationRequest};
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
            let Ok(decoded) = input::load(&Source::Path(entry.path().to_path_buf()), Default::default()) else {
                continue;
            };
            let file = entry.path().display().to_string();
            for located in decoded.objects {
                let certificates = match located.object {
                    Object::Csr(csr) => {
                        if let Ok((_, request)) = X509CertificationRequest::from_der(&csr.der) {
                            let subject = request.certification_request_info.subject.as_raw().to_vec();
                            out.push((file.clone(), "subject", subject));
                        }
                        continue;
                    }
                    Object::Certificate(certificate) => vec![*certificate],
                    Object::Pkcs7(list) => list,
                    _ => continue,
                };
                // x509-parser refuses a few objects ucert reads (odd dates, say): their names are held by the
                // hand-made cases below
                for certificate in certificates {
                    if let Ok((_, parsed)) = X509Certificate::from_der(&certificate.der) {
                        out.push((file.clone(), "subject", parsed.subject().as_raw().to_vec()));
                        out.push((file.clone(), "issuer", parsed.issuer().as_raw().to_vec()));
                    }
                }
            }
        }
        out
    }

    /// The names under `dir` read alike both ways; returns how many took the direct reading, of how many.
    fn names_read_alike_under(dir: &std::path::Path) -> (usize, usize) {
        let names = names_under(dir);
        let mut direct = 0;
        for (file, which, raw) in &names {
            assert_eq!(
                DistinguishedName::from_der(raw),
                DistinguishedName::through_x509_parser(raw),
                "{file}: {which}"
            );
            direct += usize::from(DistinguishedName::from_well_formed_der(raw).is_some());
        }
        (direct, names.len())
    }

    #[test]
    fn the_names_of_the_fixtures_read_as_x509_parser_reads_them() {
        // the hostile fixtures among them: control and bidi characters, string types of every kind
        let (direct, all) = names_read_alike_under(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"));
        assert!(all > 200 && direct == all, "{direct} of {all} names read directly");
    }

    #[test]
    fn the_names_of_the_real_world_files_read_as_x509_parser_reads_them() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real-world");
        if !dir.is_dir() {
            eprintln!("skipped: ../shared/real-world is absent");
            return;
        }
        let (direct, all) = names_read_alike_under(&dir);
        assert!(all > 0 && direct == all, "{direct} of {all} names read directly");
    }

    #[test]
    fn a_well_formed_name_reads_as_x509_parser_reads_it_and_any_other_is_left_to_it() {
        // an attribute is SEQUENCE { OID, value }, an RDN SET { attribute... }, a name SEQUENCE { RDN... }
        let tlv = der::tlv;
        let attribute = |oid: &[u8], value: Vec<u8>| tlv(0x30, &[tlv(0x06, oid), value].concat());
        let cn = |value: Vec<u8>| attribute(&[0x55, 0x04, 0x03], value);
        let rdn = |attributes: &[Vec<u8>]| tlv(0x31, &attributes.concat());
        let name = |rdns: &[Vec<u8>]| tlv(0x30, &rdns.concat());
        let printable = |s: &str| tlv(0x13, s.as_bytes());
        let hostile = attribute(&[0x55, 0x04, 0x0a], tlv(0x0c, "Ex\u{202e}ample\u{1b}[31m".as_bytes()));
        let long = "x".repeat(300);
        let well_formed = [
            name(&[]),
            name(&[rdn(&[cn(printable("cucm-pub.example.com"))])]),
            // a multi-valued RDN, a hostile UTF8String, a value of two length bytes, an attribute with no short name
            name(&[rdn(&[cn(printable("a")), hostile]), rdn(&[attribute(&[0x2a, 0x03], printable(&long))])]),
            // strings of several types, and values that break their type's rules: noted alike both ways
            name(&[
                rdn(&[cn(tlv(0x1e, &[0x00, 0x41, 0x30, 0x42]))]),
                rdn(&[cn(tlv(0x1e, &[0x00]))]),
                rdn(&[cn(tlv(0x14, &[0x4d, 0xfc, 0x6e]))]),
                rdn(&[cn(tlv(0x0c, &[0x61, 0xff]))]),
                rdn(&[cn(tlv(0x13, b"*.example.com"))]),
                rdn(&[cn(tlv(0x13, &[0x61, 0xe9]))]),
                rdn(&[cn(tlv(0x02, &[0x01]))]),
                rdn(&[cn(tlv(0x80, b"context"))]),
            ]),
        ];
        for raw in &well_formed {
            assert!(DistinguishedName::from_well_formed_der(raw).is_some(), "{raw:02x?}");
            assert_eq!(DistinguishedName::from_der(raw), DistinguishedName::through_x509_parser(raw), "{raw:02x?}");
        }
        let good = rdn(&[cn(printable("a"))]);
        let left_to_x509_parser = [
            // an empty RDN, and one that is not a SET: X509Name keeps the RDNs before it
            name(&[good.clone(), tlv(0x31, &[])]),
            name(&[good.clone(), tlv(0x30, &cn(printable("b")))]),
            // an attribute of three parts or of one, an OID of another type, a value with a high tag number
            name(&[rdn(&[tlv(0x30, &[tlv(0x06, &[0x55, 0x04, 0x03]), printable("a"), printable("b")].concat())])]),
            name(&[rdn(&[tlv(0x30, &tlv(0x06, &[0x55, 0x04, 0x03]))])]),
            name(&[rdn(&[tlv(0x30, &[tlv(0x13, b"not an oid"), printable("a")].concat())])]),
            name(&[rdn(&[tlv(0x30, &[tlv(0x06, &[0x55, 0x04, 0x03]), vec![0x1f, 0x21, 0x01, 0x61]].concat())])]),
            // bytes after the last RDN or after the name, a length in five bytes, an indefinite length, cut short
            tlv(0x30, &[good.clone(), vec![0x05]].concat()),
            [name(std::slice::from_ref(&good)), vec![0x00]].concat(),
            [vec![0x30, 0x85, 0x00, 0x00, 0x00, 0x00, good.len() as u8], good.clone()].concat(),
            [vec![0x30, 0x80], good.clone(), vec![0x00, 0x00]].concat(),
            name(std::slice::from_ref(&good))[..5].to_vec(),
            Vec::new(),
        ];
        for raw in &left_to_x509_parser {
            assert!(DistinguishedName::from_well_formed_der(raw).is_none(), "{raw:02x?}");
            assert_eq!(DistinguishedName::from_der(raw), DistinguishedName::through_x509_parser(raw), "{raw:02x?}");
        }
    }

    #[test]
    fn bmp_string_is_utf16_big_endian() {
        let (s, note) = decode_string(Class::Universal, Tag::BmpString, &[0x00, 0x41, 0x30, 0x42]);
        assert_eq!(s, "Aあ");
        assert!(note.is_none());
    }

    #[test]
    fn t61_string_reads_as_latin1() {
        let (s, note) = decode_string(Class::Universal, Tag::T61String, &[0x4d, 0xfc, 0x6e]);
        assert_eq!(s, "Mün");
        assert!(note.is_none());
    }

    #[test]
    fn invalid_utf8_is_recovered_with_a_note() {
        let (s, note) = decode_string(Class::Universal, Tag::Utf8String, &[0x61, 0xff]);
        assert!(s.starts_with('a'));
        assert!(note.is_some());
    }

    #[test]
    fn odd_bmp_string_is_noted() {
        let (_, note) = decode_string(Class::Universal, Tag::BmpString, &[0x00]);
        assert!(note.unwrap().contains("odd"));
    }

    #[test]
    fn canonical_form_ignores_case_and_spacing() {
        let a = DistinguishedName {
            rdns: vec![vec![NameAttribute {
                name: "CN".into(),
                oid: "2.5.4.3".into(),
                value: Untrusted::new("Example  CA"),
            }]],
            notes: vec![],
        };
        let b = DistinguishedName {
            rdns: vec![vec![NameAttribute {
                name: "CN".into(),
                oid: "2.5.4.3".into(),
                value: Untrusted::new("example ca"),
            }]],
            notes: vec![],
        };
        assert!(a.same_as(&b));
        assert_eq!(a.to_openssl_string().raw(), "CN = Example  CA");
    }

    #[test]
    fn a_canonical_value_is_its_words_one_space_apart_in_lower_case() {
        // the plain definition, against which the one that reuses a buffer is held
        let plain = |v: &str| v.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        for value in
            ["", "   ", "Example  CA", " \tcucm-PUB.Example.COM\n", "ΟΔΟΣ ΣΑΣ", "Müller\u{3000}GmbH", "ＡＢＣ  x"]
        {
            assert_eq!(canonical_value(value), plain(value), "{value:?}");
            let mut kept = String::from("kept ");
            push_canonical(value, &mut kept);
            assert_eq!(kept, format!("kept {}", plain(value)), "{value:?}");
        }
        // a final sigma stays final when the value is made canonical
        assert_eq!(canonical_value("ΟΔΟΣ"), "οδος");
    }

    #[test]
    fn a_multi_valued_rdn_is_compared_as_a_set() {
        let attribute = |oid: &'static str, value: &str| NameAttribute {
            name: oid.into(),
            oid: oid.into(),
            value: Untrusted::new(value),
        };
        let one = DistinguishedName {
            rdns: vec![vec![attribute("2.5.4.11", "Voice"), attribute("2.5.4.3", "CUCM  Pub")]],
            notes: vec![],
        };
        let other = DistinguishedName {
            rdns: vec![vec![attribute("2.5.4.3", "cucm pub"), attribute("2.5.4.11", "VOICE")]],
            notes: vec![],
        };
        assert!(one.same_as(&other));
        assert_eq!(
            one.canonical(),
            vec![vec![("2.5.4.11".to_string(), "voice".to_string()), ("2.5.4.3".to_string(), "cucm pub".to_string())]]
        );
    }
}
