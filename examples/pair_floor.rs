//! The floor under `ucert pair`, for `benches/pair.sh`: every file under the paths read once and decoded in parallel
//! by ucert's own reader, and each CSR's self-signature verified with ring, as `pair` does. No pairing, no other
//! check, no second read, no report: what `pair` costs above this is what it does beyond reading and verifying.
//!
//!     cargo run --profile dist --example pair_floor -- DIR...

use rayon::prelude::*;
use ucert::analysis::verify::{Verification, csr_self_signature};
use ucert::input::{self, Object, Reading, Source};

fn main() {
    let mut files = Vec::new();
    for root in std::env::args_os().skip(1) {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
    }
    let (objects, verified) = files
        .par_iter()
        .map(|path| {
            let Ok(decoded) = input::load(&Source::Path(path.clone()), Reading::default()) else { return (0, 0) };
            decoded.objects.iter().fold((0, 0), |(n, v), located| match &located.object {
                Object::Csr(csr) => (n + 1, v + usize::from(csr_self_signature(csr) == Verification::Valid)),
                _ => (n + 1, v),
            })
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!("{objects} objects read, {verified} CSR self-signatures verified");
}
