//! Decoding alone, for measuring ucert's reader: every file under the folders given is read into memory first, then
//! decoded by ucert's reader (`input::decode`, what every command calls on a file's bytes) one after the other on
//! one thread, `ROUNDS` times (default 1); each round's time goes to stderr. No file is opened while the clock
//! runs, no signature is verified and nothing is kept, so the count of instructions under cachegrind is the
//! reader's own and the same from run to run, where times on a shared machine wander:
//!
//!     cargo build --profile dist --example decode_files
//!     valgrind --tool=cachegrind --cache-sim=no target/dist/examples/decode_files target/bench-pair/5000
//!     ROUNDS=0 valgrind ... (the same: what reading the files costs, to take away)

use std::time::Instant;

fn main() {
    let mut files = Vec::new();
    for root in std::env::args_os().skip(1) {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file()
                && let Ok(bytes) = std::fs::read(entry.path())
            {
                files.push(bytes);
            }
        }
    }
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(1);
    for _ in 0..rounds {
        let start = Instant::now();
        let objects: usize = files.iter().map(|f| ucert::input::decode(f).map_or(0, |d| d.objects.len())).sum();
        eprintln!("{} files, {objects} objects decoded in {:.1} ms", files.len(), start.elapsed().as_secs_f64() * 1e3);
    }
}
