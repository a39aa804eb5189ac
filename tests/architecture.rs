//! The import graph between ucert's top-level modules follows ARCHITECTURE.md: every `crate::<module>` reference
//! outside test code must be an arrow the table there lists, the table lists every module, and each module uses
//! only modules listed above it (so the graph has no cycle).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The table between the `arrows` markers: module -> the modules it may use, in the table's order.
fn allowed() -> Vec<(String, BTreeSet<String>)> {
    let text = std::fs::read_to_string(Path::new(ROOT).join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = text.find("<!-- arrows:begin -->").expect("arrows:begin marker");
    let end = text.find("<!-- arrows:end -->").expect("arrows:end marker");
    let mut rows = Vec::new();
    for line in text[start..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let module = cells[0].trim_matches('`').to_string();
        let uses = cells.get(1).map_or("", |c| c);
        let uses: BTreeSet<String> =
            uses.split(',').map(|u| u.trim().trim_matches('`').to_string()).filter(|u| !u.is_empty()).collect();
        rows.push((module, uses));
    }
    assert!(!rows.is_empty(), "no rows between the arrows markers");
    rows
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`src/analysis/chain/walks.rs` -> `analysis`), or None for the crate
/// root and the binary.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_string();
    (name != "lib" && name != "main").then_some(name)
}

/// The top-level modules a piece of code names through `crate::a` or `crate::{a, b::c}`.
fn referenced(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            for item in inner.split(',') {
                let name: String = item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                out.insert(name);
            }
        } else {
            out.insert(rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect());
        }
    }
    out.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    out
}

/// The code of a file that is not a test: what comes before its first `#[cfg(test)]`, comments dropped.
fn non_test_code(text: &str) -> String {
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

#[test]
fn every_import_between_modules_is_an_arrow_architecture_md_lists() {
    let src = Path::new(ROOT).join("src");
    let table = allowed();
    let order: Vec<&str> = table.iter().map(|(m, _)| m.as_str()).collect();
    let allowed: BTreeMap<&str, &BTreeSet<String>> = table.iter().map(|(m, u)| (m.as_str(), u)).collect();
    // the table itself: each module uses only modules above it (no cycle, no arrow against the flow)
    for (i, (module, uses)) in table.iter().enumerate() {
        for used in uses {
            let at = order.iter().position(|m| m == used);
            assert!(
                at.is_some_and(|j| j < i),
                "ARCHITECTURE.md: {module} may use {used}, which is not listed above it"
            );
        }
    }
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut seen_modules = BTreeSet::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else { continue };
        seen_modules.insert(module.clone());
        let code = non_test_code(&std::fs::read_to_string(file).unwrap());
        let Some(may) = allowed.get(module.as_str()) else { continue };
        for used in referenced(&code) {
            if used != module && !may.contains(&used) {
                wrong.push(format!("{} uses {used} ({module} -> {used} is not in ARCHITECTURE.md)", file.display()));
            }
        }
    }
    let unlisted: Vec<&String> = seen_modules.iter().filter(|m| !allowed.contains_key(m.as_str())).collect();
    assert!(unlisted.is_empty(), "modules missing from ARCHITECTURE.md's table: {unlisted:?}");
    assert!(wrong.is_empty(), "arrows against ARCHITECTURE.md:\n{}", wrong.join("\n"));
}

#[test]
fn the_reference_finder_sees_grouped_and_nested_paths() {
    let found = referenced("use crate::{model::Certificate, untrusted};\nlet x = crate::report::json::write;");
    assert_eq!(found, BTreeSet::from(["model".to_string(), "report".into(), "untrusted".into()]));
}
