//! The files under the paths a command is given (`pair` and `plan`, and a folder given to `logs`): walked in a
//! stable order, symbolic links followed only inside the tree, /proc and /sys left out, at most [`MAX_FILES`]. What
//! is passed over is listed with why, never fatal; only a path that cannot be reached at all is a problem.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Problem, ProblemKind};
use crate::input;
use crate::report::pair::Skipped;
use crate::untrusted::Untrusted;

/// The most files one run reads: a cluster's certificates are hundreds, a mistaken `pair /` millions.
pub const MAX_FILES: usize = 200_000;

/// The regular files under `roots` (a root that is a file is itself), in the walk's order, and what was passed over
/// with why: the files beyond [`MAX_FILES`] first (the text lists the first few), then links, devices, kernel
/// interfaces and what could not be listed.
pub(crate) fn files_under(roots: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<Skipped>), Problem> {
    files_under_at_most(roots, MAX_FILES)
}

fn files_under_at_most(roots: &[PathBuf], cap: usize) -> Result<(Vec<PathBuf>, Vec<Skipped>), Problem> {
    // each root walked on a core of its own (`pair csrs/ certs/`), then put together in order
    let walks: Vec<Result<Walk, Problem>> = roots
        .par_iter()
        .map(|root| {
            let mut walk = Walk::default();
            collect(root, cap, &mut walk).map(|()| walk)
        })
        .collect();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut over_cap = 0;
    for walk in walks {
        let walk = walk?;
        let room = cap.saturating_sub(files.len());
        over_cap += walk.over_cap + walk.files.len().saturating_sub(room);
        files.extend(walk.files.into_iter().take(room));
        skipped.extend(walk.skipped);
    }
    if over_cap > 0 {
        let path = Untrusted::new(format!("{over_cap} more files"));
        skipped
            .insert(0, Skipped { path, reason: format!("not read: ucert reads at most {MAX_FILES} files in one run") });
    }
    Ok((files, skipped))
}

/// What the walk of one root found.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    skipped: Vec<Skipped>,
    over_cap: usize,
}

/// Regular files under `root` (or `root` itself), in a stable order, at most `cap` of them. Symbolic links are
/// followed only when they stay inside the tree being walked (then the file is read once, through its real path).
fn collect(root: &Path, cap: usize, walk: &mut Walk) -> Result<(), Problem> {
    let Walk { files, skipped, over_cap } = walk;
    let meta = std::fs::metadata(root).map_err(|e| {
        let (kind, message) = match e.kind() {
            std::io::ErrorKind::NotFound => (ProblemKind::NotFound, "no such file or directory".to_string()),
            std::io::ErrorKind::PermissionDenied => (ProblemKind::PermissionDenied, "permission denied".to_string()),
            _ => (ProblemKind::Unreadable, e.to_string()),
        };
        Problem { path: Untrusted::path(root), kind, message }
    })?;
    if meta.is_file() {
        files.push(root.to_path_buf());
        return Ok(());
    }
    let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    // Where an entry really is (the walk follows no links, so the canonical root plus the relative part).
    let real = |p: &Path| canonical_root.join(p.strip_prefix(root).unwrap_or(p));
    let mut kernel_dirs = Vec::new();
    let walk = walkdir::WalkDir::new(root).follow_links(false).sort_by(by_name).into_iter().filter_entry(|e| {
        let kernel = e.file_type().is_dir() && input::is_kernel_interface(&real(e.path()));
        if kernel {
            kernel_dirs.push(Untrusted::path(e.path()));
        }
        !kernel
    });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = Untrusted::path(e.path().unwrap_or(root));
                skipped.push(Skipped {
                    path,
                    reason: format!("cannot be listed: {}", e.io_error().map(|io| io.to_string()).unwrap_or_default()),
                });
                continue;
            }
        };
        let ft = entry.file_type();
        if ft.is_dir() {
            continue;
        }
        // the name as shown, made only for what is skipped (the regular files are the tens of thousands)
        let shown = || Untrusted::path(entry.path());
        if ft.is_symlink() {
            let shown = shown();
            match std::fs::canonicalize(entry.path()) {
                Ok(target) if target.starts_with(&canonical_root) => skipped.push(Skipped {
                    path: shown,
                    reason: format!("symbolic link to {} (read there)", Untrusted::path(&target)),
                }),
                Ok(target) => skipped.push(Skipped {
                    path: shown,
                    reason: format!("symbolic link out of the tree, to {}: not followed", Untrusted::path(&target)),
                }),
                Err(_) => skipped.push(Skipped { path: shown, reason: "dangling symbolic link".into() }),
            }
            continue;
        }
        if ft.is_file() && files.len() >= cap {
            *over_cap += 1;
        } else if ft.is_file() {
            files.push(entry.into_path());
        } else {
            skipped.push(Skipped { path: shown(), reason: "not a regular file (a pipe, socket or device)".into() });
        }
    }
    skipped.extend(
        kernel_dirs
            .into_iter()
            .map(|path| Skipped { path, reason: "a kernel interface (/proc, /sys), not files: not read".into() }),
    );
    Ok(())
}

/// The order of the walk: entries of one directory by file name, byte by byte (as `sort_by_file_name` does). Siblings'
/// paths are their parent's path joined with their names, so comparing whole paths gives that order, without
/// finding each name again in its path at every comparison (which was more than half the walk's time in two folders
/// of 20,000 files).
fn by_name(a: &walkdir::DirEntry, b: &walkdir::DirEntry) -> std::cmp::Ordering {
    a.path().as_os_str().as_encoded_bytes().cmp(b.path().as_os_str().as_encoded_bytes())
}

#[cfg(test)]
mod tests {
    use super::{by_name, files_under_at_most};

    /// Names that sort differently by bytes, by case, by length, with dots and dashes, non-ASCII, and a directory
    /// among them: the walk's order is `sort_by_file_name`'s. (No two names differ in case only, and none ends in a
    /// dot: Windows would take them for one.)
    #[test]
    fn the_walk_is_in_file_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b", "a-b", "ab", "B0", "é", "a.b", "Z9", "a0", "a"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("a.c")).unwrap();
        std::fs::write(dir.path().join("a.c").join("c"), "x").unwrap();
        let walk = |w: walkdir::WalkDir| -> Vec<_> { w.into_iter().map(|e| e.unwrap().into_path()).collect() };
        let ours = walk(walkdir::WalkDir::new(dir.path()).sort_by(by_name));
        assert_eq!(ours, walk(walkdir::WalkDir::new(dir.path()).sort_by_file_name()));
        assert_eq!(ours.len(), 12);
    }

    #[test]
    fn roots_walked_at_once_are_listed_in_order_and_capped_as_one_walk() {
        let dir = tempfile::tempdir().unwrap();
        let mut roots = Vec::new();
        for (root, names) in [("csrs", &["b.csr", "a.csr"][..]), ("certs", &["3.cer", "1.cer", "2.cer"][..])] {
            let root = dir.path().join(root);
            std::fs::create_dir(&root).unwrap();
            for name in names {
                std::fs::write(root.join(name), "x").unwrap();
            }
            roots.push(root);
        }
        let names = |files: &[std::path::PathBuf]| -> Vec<String> {
            files.iter().map(|f| f.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/")).collect()
        };
        let (all, skipped) = files_under_at_most(&roots, 10).unwrap();
        assert_eq!(names(&all), ["csrs/a.csr", "csrs/b.csr", "certs/1.cer", "certs/2.cer", "certs/3.cer"]);
        assert!(skipped.is_empty());
        let (first, skipped) = files_under_at_most(&roots, 3).unwrap();
        assert_eq!(names(&first), ["csrs/a.csr", "csrs/b.csr", "certs/1.cer"]);
        assert_eq!(skipped.len(), 1);
        assert_eq!(skipped[0].path.raw(), "2 more files");
        let (first, skipped) = files_under_at_most(&roots, 1).unwrap();
        assert_eq!((names(&first), skipped[0].path.raw()), (vec!["csrs/a.csr".to_string()], "4 more files"));
        let missing = [roots[0].clone(), dir.path().join("gone"), roots[1].clone()];
        assert!(files_under_at_most(&missing, 10).is_err(), "a root that is not there stops the run");
    }
}
