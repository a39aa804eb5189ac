//! Records the git commit ucert is built from, for `ucert --version`. Only `git rev-parse` runs: it reads the
//! repository without writing to it (`git status` would refresh `.git/index`, and a build script watching that file
//! would then rebuild the crate on every `cargo test`).
use std::path::Path;
use std::process::Command;

fn main() {
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown commit".into());
    println!("cargo:rustc-env=UCERT_GIT_COMMIT={commit}");
    // rebuild when HEAD moves: a checkout changes .git/HEAD, a commit changes the branch's ref (or packed-refs)
    println!("cargo:rerun-if-changed=.git/HEAD");
    if let Ok(head) = std::fs::read_to_string(".git/HEAD")
        && let Some(reference) = head.trim().strip_prefix("ref: ")
    {
        // a watched file that does not exist counts as changed on every build: watch only those that do
        for path in [Path::new(".git").join(reference), Path::new(".git/packed-refs").to_path_buf()] {
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
