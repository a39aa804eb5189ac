//! The outer structure of certificates and CSRs, walked by ucert itself so that one odd part (a duplicated or
//! malformed extension, a badly encoded date, an attribute with no value, a non-minimal length) becomes a warning
//! on an otherwise readable object, as it is for openssl, instead of making x509-parser refuse the whole thing.
//! The parts with real structure (names, algorithm identifiers, public keys, extensions) still go through
//! x509-parser.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};
use x509_parser::asn1_rs::Tag;
use x509_parser::extensions::X509Extension;
use x509_parser::prelude::FromDer;
use x509_parser::x509::AlgorithmIdentifier;

use crate::model::der::{self, Element};

/// `SEQUENCE { toBeSigned, signatureAlgorithm, signature BIT STRING }`, the frame of certificates and CSRs.
pub struct SignedFrame<'a> {
    /// Where `to_be_signed` lies in the input.
    pub to_be_signed_range: std::ops::Range<usize>,
    pub to_be_signed: Element<'a>,
    pub algorithm: AlgorithmIdentifier<'a>,
    pub signature: &'a [u8],
    /// Where `signature` lies in the input.
    pub signature_range: std::ops::Range<usize>,
    /// Bytes of the input the whole structure occupied.
    pub used: usize,
    /// The whole structure's DER (the first `used` bytes of the input; the ranges above lie in it).
    pub der: &'a [u8],
}

pub fn signed_frame(input: &[u8]) -> Result<SignedFrame<'_>, String> {
    let (outer, _) = der::read_element(input).map_err(|e| e.to_string())?;
    if !outer.is_universal(Tag::Sequence) {
        return Err("not a SEQUENCE".into());
    }
    let used = outer.raw.len();
    // the parts read one by one, as `der::children` reads them, without a list for three (every object read
    // has its frame read twice: once to tell what it is, once here)
    let mut rest = outer.content();
    let mut next = || -> Result<Option<Element<'_>>, String> {
        if rest.is_empty() {
            return Ok(None);
        }
        let (part, after) = der::read_element(rest).map_err(|e| e.to_string())?;
        rest = after;
        Ok(Some(part))
    };
    let parts = (next()?, next()?, next()?, next()?);
    let (Some(tbs), Some(alg), Some(sig), None) = parts else {
        // past a fourth part, a malformed one after it is what is said, as when the whole list is read
        if parts.3.is_some() {
            while next()?.is_some() {}
        }
        return Err("not the three parts of a signed structure".into());
    };
    SignedFrame::from_parts(input, used, &tbs, &alg, &sig)
}

impl<'a> SignedFrame<'a> {
    /// The frame from its three parts, read already (`input` starts where the signed structure does, which
    /// occupies `used` bytes of it): for the reader that read them to tell what the object is.
    pub fn from_parts(
        input: &'a [u8],
        used: usize,
        tbs: &Element<'a>,
        alg: &Element<'a>,
        sig: &Element<'a>,
    ) -> Result<SignedFrame<'a>, String> {
        if !tbs.is_universal(Tag::Sequence) || !sig.is_universal(Tag::BitString) {
            return Err("not the three parts of a signed structure".into());
        }
        let Some(der) = input.get(..used) else {
            return Err("the structure is longer than its input".into());
        };
        let algorithm = algorithm_identifier(alg).map_err(|e| format!("signature algorithm: {e}"))?;
        let signature = sig.content().split_first().map(|(_, s)| s).unwrap_or_default();
        // where each part lies in `input` (parts read from elsewhere are refused, not mislocated)
        let within = |part: &[u8]| {
            let at = (part.as_ptr() as usize).checked_sub(input.as_ptr() as usize)?;
            (at + part.len() <= input.len()).then_some(at..at + part.len())
        };
        let outside = || "the parts are not inside the structure".to_string();
        let to_be_signed_range = within(tbs.raw).ok_or_else(outside)?;
        let signature_range = within(signature).ok_or_else(outside)?;
        Ok(SignedFrame {
            to_be_signed_range,
            to_be_signed: tbs.clone(),
            algorithm,
            signature,
            signature_range,
            used,
            der,
        })
    }
}

pub fn algorithm_identifier<'a>(el: &Element<'a>) -> Result<AlgorithmIdentifier<'a>, String> {
    AlgorithmIdentifier::from_der(el.raw).map(|(_, a)| a).map_err(|e| format!("{e:?}"))
}

/// Extensions from the content of a `SEQUENCE OF Extension`; a malformed one is skipped with a note.
pub fn extensions<'a>(seq_content: &'a [u8], notes: &mut Vec<String>) -> Vec<X509Extension<'a>> {
    let items = match der::children(seq_content) {
        Ok(items) => items,
        Err(e) => {
            notes.push(format!("the extension list is malformed ({e}) and was not read"));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match X509Extension::from_der(item.raw) {
            Ok((_, ext)) => out.push(ext),
            Err(e) => notes.push(format!("extension #{} is malformed and was not read ({e:?})", i + 1)),
        }
    }
    out
}

/// A UTCTime or GeneralizedTime. x509-parser's strict reading first; then a lenient one for what openssl also
/// accepts (missing seconds, a leap second, a time-zone offset); None with the reason when neither can read it.
pub fn time(el: &Element<'_>) -> Result<OffsetDateTime, String> {
    if let Ok((_, t)) = x509_parser::time::ASN1Time::from_der(el.raw) {
        return Ok(t.to_datetime());
    }
    let raw = std::str::from_utf8(el.content()).map_err(|_| "the date is not text".to_string())?;
    // the text goes into a note: escaped, as any outside text shown
    let text = crate::untrusted::escape(raw);
    let generalized = match el.tag() {
        Tag::UtcTime => false,
        Tag::GeneralizedTime => true,
        _ => return Err(format!("'{text}' is not a UTCTime or GeneralizedTime")),
    };
    lenient_time(raw, generalized).ok_or_else(|| format!("'{text}' is not a valid date"))
}

fn lenient_time(text: &str, generalized: bool) -> Option<OffsetDateTime> {
    let (digits, zone) = match text.find(['Z', '+', '-']) {
        Some(i) => (&text[..i], &text[i..]),
        None => (text, ""),
    };
    let digits = digits.split('.').next()?; // fractional seconds are dropped
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |s: &str| s.parse::<i32>().ok();
    let (year, rest) = if generalized {
        (num(digits.get(..4)?)?, digits.get(4..)?)
    } else {
        let yy = num(digits.get(..2)?)?;
        (if yy < 50 { 2000 + yy } else { 1900 + yy }, digits.get(2..)?)
    };
    if rest.len() != 8 && rest.len() != 10 {
        return None;
    }
    let month = Month::try_from(num(&rest[0..2])? as u8).ok()?;
    let day = num(&rest[2..4])? as u8;
    let hour = num(&rest[4..6])? as u8;
    let minute = num(&rest[6..8])? as u8;
    let second = if rest.len() == 10 { num(&rest[8..10])?.min(59) as u8 } else { 0 }; // a leap second reads as :59
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let time = Time::from_hms(hour, minute, second).ok()?;
    let offset = match zone {
        "" | "Z" => UtcOffset::UTC,
        z if z.len() == 5 => {
            let sign = if z.starts_with('-') { -1 } else { 1 };
            // `get`, not indexing: the zone is outside text and may hold a multi-byte character
            let h = num(z.get(1..3)?)? as i8;
            let m = num(z.get(3..5)?)? as i8;
            UtcOffset::from_hms(sign * h, sign * m, 0).ok()?
        }
        _ => return None,
    };
    Some(PrimitiveDateTime::new(date, time).assume_offset(offset).to_offset(UtcOffset::UTC))
}

/// An INTEGER's content as a small number (versions), or None.
pub fn version(el: &Element<'_>) -> Option<u32> {
    der::small_uint(el).and_then(|v| u32::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frame's parts are read one by one; what is said of a frame that is not three parts is what reading the
    /// whole list says: a malformed part wherever it is, else the count.
    #[test]
    fn a_frame_is_three_parts_and_a_malformed_one_anywhere_is_said() {
        let frame = |parts: &[Vec<u8>]| der::tlv(0x30, &parts.concat());
        let seq = der::tlv(0x30, &der::tlv(0x02, &[1]));
        let alg = der::tlv(0x30, &der::tlv(0x06, &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]));
        let sig = der::tlv(0x03, &[0, 1, 2]);
        let whole = frame(&[seq.clone(), alg.clone(), sig.clone()]);
        let read = signed_frame(&whole).unwrap();
        assert_eq!((read.signature, read.used), (&[1u8, 2][..], whole.len()));
        assert_eq!(&whole[read.to_be_signed_range], &seq[..]);
        let short = frame(&[seq.clone(), alg.clone()]);
        assert_eq!(signed_frame(&short).err().unwrap(), "not the three parts of a signed structure");
        let four = frame(&[seq.clone(), alg.clone(), sig.clone(), sig.clone()]);
        assert_eq!(signed_frame(&four).err().unwrap(), "not the three parts of a signed structure");
        // a fifth part that claims more bytes than there are: the truncation is said, not the count
        let cut = vec![0x04, 0x05, 0x00];
        let five = frame(&[seq.clone(), alg.clone(), sig.clone(), sig.clone(), cut.clone()]);
        let listed = der::children(&five[2..]).err().unwrap().to_string();
        assert_eq!(signed_frame(&five).err().unwrap(), listed);
        assert!(listed.contains("truncated"), "{listed}");
        let third = frame(&[seq, alg, cut]);
        assert!(signed_frame(&third).err().unwrap().contains("truncated"));
        // parts handed over by a reader that read them: located in the input they came from, refused from elsewhere
        let parts = der::children(&whole[2..]).unwrap();
        let handed = SignedFrame::from_parts(&whole, whole.len(), &parts[0], &parts[1], &parts[2]).unwrap();
        assert_eq!(handed.to_be_signed_range, signed_frame(&whole).unwrap().to_be_signed_range);
        let elsewhere = whole.clone();
        let refused = SignedFrame::from_parts(&elsewhere, elsewhere.len(), &parts[0], &parts[1], &parts[2]);
        assert_eq!(refused.err().unwrap(), "the parts are not inside the structure");
        let longer = SignedFrame::from_parts(&whole, whole.len() + 1, &parts[0], &parts[1], &parts[2]);
        assert_eq!(longer.err().unwrap(), "the structure is longer than its input");
    }

    #[test]
    fn lenient_times_cover_what_openssl_accepts() {
        let t = lenient_time("2601010000Z", false).unwrap();
        assert_eq!(t.year(), 2026);
        assert_eq!(t.second(), 0);
        let leap = lenient_time("20161231235960Z", true).unwrap();
        assert_eq!(leap.second(), 59);
        let offset = lenient_time("260101120000+0200", false).unwrap();
        assert_eq!(offset.hour(), 10);
        assert!(lenient_time("19020701025736Z", false).is_none(), "14 digits are not a UTCTime");
        assert!(lenient_time("261301000000Z", false).is_none(), "month 13");
        assert!(lenient_time("2601010000+1é2", false).is_none(), "a non-ASCII zone is refused, not sliced");
        assert!(lenient_time("2601010000-é12", false).is_none());
    }
}
