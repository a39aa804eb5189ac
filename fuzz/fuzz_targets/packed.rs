//! What `ucert logs` opens before any line is read, on arbitrary bytes: gzip, UTF-16, and tar archives (plain or in
//! gzip) walked file by file, each file opened in turn (an archive inside refused) and read to its end in lines.
#![no_main]

use libfuzzer_sys::fuzz_target;
use ucert::input::lines::{self, Lines, Opened};

fn read_all(opened: Opened<'_>, depth: u32) {
    match opened {
        Opened::Log(reader) => {
            let mut lines = Lines::new(reader);
            while let Ok(Some(_)) = lines.next_line() {}
        }
        Opened::Packed(packed) if depth == 0 => {
            let _ = packed.each_file(&mut |_name, stream| {
                if let Ok(stream) = stream {
                    if let Ok(inner) = lines::from_reader(stream) {
                        read_all(inner, depth + 1);
                    }
                }
            });
        }
        Opened::Packed(_) => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(opened) = lines::from_reader(data) {
        read_all(opened, 0);
    }
});
