//! Archives and compressed files, told by their first bytes: a CA that delivers the certificate and its chain as a
//! `.zip`, logs zipped or tarred to send to TAC. The readers open the ones they can (`zipped`, and tar and gzip for
//! logs in `lines`) and name the others with what to do, where the bytes would otherwise be taken for text (a
//! stored ZIP member is plain text in the middle of binary headers, and its lines would be read as a log).

/// An archive or compressed file, and how to get at what is inside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Archive {
    Zip,
    Tar,
    SevenZip,
    Rar,
    Gzip,
    Bzip2,
    Xz,
}

impl Archive {
    /// What `head`, the first bytes of a file, says it is (at least 262 bytes are needed to see a tar archive).
    pub fn recognise(head: &[u8]) -> Option<Archive> {
        const MAGIC: [(&[u8], Archive); 7] = [
            (b"PK\x03\x04", Archive::Zip),
            (b"PK\x05\x06", Archive::Zip), // an empty archive
            (b"PK\x07\x08", Archive::Zip), // a spanned archive
            (b"7z\xbc\xaf\x27\x1c", Archive::SevenZip),
            (b"Rar!\x1a\x07", Archive::Rar),
            (b"\x1f\x8b", Archive::Gzip),
            (b"\xfd7zXZ\x00", Archive::Xz),
        ];
        if let Some((_, archive)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
            return Some(*archive);
        }
        // bzip2's "BZh" is text: with the block size digit and the magic number of the first block (or of the end
        // of an empty stream) after it
        if head.starts_with(b"BZh") && head.get(3).is_some_and(|d| (b'1'..=b'9').contains(d)) {
            let block = head.get(4..10);
            return block.is_some_and(|m| m == b"1AY&SY" || m == b"\x17\x72\x45\x38\x50\x90").then_some(Archive::Bzip2);
        }
        // POSIX and GNU tar: "ustar" at offset 257 of the first header
        head.get(257..262).is_some_and(|m| m == b"ustar").then_some(Archive::Tar)
    }

    /// "a ZIP archive: extract it": what it is and what to do, for a message that goes on to say with what.
    pub fn advice(self) -> &'static str {
        match self {
            Archive::Zip => "a ZIP archive: extract it",
            Archive::Tar => "a tar archive: extract it (tar xf FILE)",
            Archive::SevenZip => "a 7-Zip archive: extract it",
            Archive::Rar => "a RAR archive: extract it",
            Archive::Gzip => "gzip-compressed data: decompress it (gunzip)",
            Archive::Bzip2 => "bzip2-compressed data: decompress it (bunzip2)",
            Archive::Xz => "xz-compressed data: decompress it (unxz)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Archive;

    #[test]
    fn archives_are_told_by_their_first_bytes() {
        assert_eq!(Archive::recognise(b"PK\x03\x04\x14\x00\x00\x00"), Some(Archive::Zip));
        assert_eq!(Archive::recognise(b"PK\x05\x06\x00\x00"), Some(Archive::Zip));
        assert_eq!(Archive::recognise(b"7z\xbc\xaf\x27\x1c\x00\x04"), Some(Archive::SevenZip));
        assert_eq!(Archive::recognise(b"Rar!\x1a\x07\x01\x00"), Some(Archive::Rar));
        assert_eq!(Archive::recognise(b"\x1f\x8b\x08\x00"), Some(Archive::Gzip));
        assert_eq!(Archive::recognise(b"BZh91AY&SY"), Some(Archive::Bzip2));
        assert_eq!(Archive::recognise(b"\xfd7zXZ\x00\x00\x04"), Some(Archive::Xz));
        let mut tar = vec![0u8; 512];
        tar[..9].copy_from_slice(b"tomcat.pe");
        tar[257..263].copy_from_slice(b"ustar\x00");
        assert_eq!(Archive::recognise(&tar), Some(Archive::Tar));
        // too short to see a tar header; and what a certificate, a log or DER starts with
        assert_eq!(Archive::recognise(&tar[..200]), None);
        let others =
            [&b"-----BEGIN CERTIFICATE-----"[..], b"2019/02/27 16:53:28 [warn]", b"\x30\x82\x03\x0a", b"P", b""];
        for other in others.into_iter().chain([&b"BZh9 is how this text starts"[..], b"BZh"]) {
            assert_eq!(Archive::recognise(other), None, "{other:?}");
        }
    }
}
