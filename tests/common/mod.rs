//! Helpers shared by the end-to-end tests: a `ucert` command that does not depend on the caller's environment,
//! and paths into the bundled fixtures.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// The ucert binary with colour, pager and locale variables cleared, run from the crate root, as on a terminal too
/// wide to wrap anything: tests of what ucert says read whole lines; tests of how it fits a width set `COLUMNS`
/// themselves ([`ucert_at_width`]).
pub fn ucert() -> Command {
    ucert_at_width(WIDE)
}

/// A width no line of ucert's reaches.
const WIDE: usize = 1000;

/// The ucert binary as [`ucert`] runs it, fitting its text to `columns`.
pub fn ucert_at_width(columns: usize) -> Command {
    let mut cmd = Command::cargo_bin("ucert").expect("binary builds");
    for var in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM", "LANG", "LC_ALL"] {
        cmd.env_remove(var);
    }
    cmd.env("COLUMNS", columns.to_string());
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The same as [`ucert`], as a `std::process::Command`, for tests that wire its standard streams themselves.
pub fn ucert_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("ucert"));
    for var in ["NO_COLOR", "CLICOLOR_FORCE", "CLICOLOR", "TERM", "LANG", "LC_ALL"] {
        cmd.env_remove(var);
    }
    cmd.env("COLUMNS", WIDE.to_string());
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The width ucert fits text to when stdout is a pipe or a file and `COLUMNS` is not set.
pub const PIPE_WIDTH: usize = 100;

/// A path under `fixtures/`, relative to the crate root (the working directory of [`ucert`]).
pub fn fixture(rel: &str) -> String {
    format!("fixtures/{rel}")
}

/// The absolute path of a fixture, for tools run elsewhere.
pub fn fixture_abs(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// A fixed evaluation time inside every fixture leaf's validity (2026-01-01 .. 2028-01-01).
pub const AT: &str = "2026-06-01T00:00:00Z";

/// True when the tests run as root, which reads files regardless of their permissions.
pub fn running_as_root() -> bool {
    std::process::Command::new("id").arg("-u").output().map(|o| o.stdout.starts_with(b"0\n")).unwrap_or(false)
}

/// Runs `program` with `args`, returning stdout; panics with stderr if it fails.
pub fn run_tool(program: &str, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(out.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// `openssl md5 -r` of some bytes: the hex digest, as openssl prints it.
pub fn openssl_md5_hex(data: &[u8]) -> String {
    use std::io::Write;
    let mut child = std::process::Command::new("openssl")
        .args(["md5", "-r"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(data).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8(out.stdout).unwrap()[..32].to_string()
}

/// True when openssl runs here; otherwise says on stderr that `test` is skipped.
pub fn has_openssl(test: &str) -> bool {
    let ok = std::process::Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("{test}: skipped: openssl is not installed");
    }
    ok
}

/// The public key of a CSR (`kind` "req") or certificate ("x509"), as openssl writes it in PEM.
pub fn public_key_pem(kind: &str, path: &std::path::Path) -> String {
    let path = path.to_str().unwrap();
    let args: &[&str] = if kind == "req" {
        &["req", "-noout", "-pubkey", "-in", path]
    } else {
        &["x509", "-noout", "-pubkey", "-in", path]
    };
    String::from_utf8(run_tool("openssl", args)).unwrap()
}

/// Text with Windows' path separators turned into `/`, so that a test reads the same paths on every system (on
/// Windows, ucert joins what it finds in a folder with `\`). Elsewhere the text as it is: a backslash there is an
/// escape (`\x1b`), not a separator.
pub fn slashes(text: &str) -> String {
    if cfg!(windows) { text.replace('\\', "/") } else { text.to_string() }
}

/// A TCP port on the loopback interface where nothing listens (when asked), for the tests of a refused connection.
/// Taken from a counter below the systems' ephemeral ranges (Linux 32768-60999, Windows 49152-65535), never from the
/// system's "any port", which the tests' servers and proxies draw from.
pub fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    // test binaries run one after another; the process id spreads concurrent runs of the suite apart
    let start = std::process::id() % 10_000;
    for _ in 0..10_000 {
        let port = 20_000 + ((start + NEXT.fetch_add(1, Ordering::Relaxed)) % 10_000) as u16;
        if std::net::TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between 20000 and 29999")
}

/// A real `openssl s_server` on a loopback port of the system's choosing, presenting fixture files, stopped when
/// dropped. The port is the one s_server reports on its `ACCEPT` line once it listens: a port chosen beforehand
/// and probed for readiness could be taken meanwhile, or the probe answered by another listener (seen in CI:
/// "connection refused" from a server that had never started, or had stopped).
pub struct OpensslServer {
    child: std::process::Child,
    pub port: u16,
}

impl OpensslServer {
    /// Serves `cert` with `key` (fixture paths), `chain` sent after the leaf, and more `s_server` options.
    pub fn start(cert: &str, key: &str, chain: Option<&str>, options: &[&str]) -> OpensslServer {
        use std::io::BufRead;
        use std::time::Duration;
        let mut cmd = std::process::Command::new("openssl");
        // not -quiet, which would hide the ACCEPT line; then the end of its stdin would stop s_server ("DONE"), so
        // stdin is a pipe left open, which never ends nor has anything to read, until s_server is stopped
        cmd.args(["s_server", "-accept", "127.0.0.1:0"])
            .arg("-cert")
            .arg(fixture_abs(cert))
            .arg("-key")
            .arg(fixture_abs(key));
        if let Some(chain) = chain {
            cmd.arg("-cert_chain").arg(fixture_abs(chain));
        }
        let mut child = cmd
            .args(options)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("openssl s_server starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        // reads up to the ACCEPT line, then drains what s_server says of each connection, so that it never blocks
        std::thread::spawn(move || {
            let mut lines = std::io::BufReader::new(stdout);
            let mut line = String::new();
            while lines.read_line(&mut line).is_ok_and(|n| n > 0) {
                if let Some(port) = line.trim().strip_prefix("ACCEPT ").and_then(|a| a.rsplit(':').next()) {
                    let _ = tx.send(port.parse::<u16>().ok());
                    let _ = std::io::copy(&mut lines, &mut std::io::sink());
                    return;
                }
                line.clear();
            }
        });
        let port = rx.recv_timeout(Duration::from_secs(10));
        let mut server = OpensslServer { child, port: 0 };
        match port {
            Ok(Some(port)) => server.port = port,
            Ok(None) => panic!("s_server's ACCEPT line names no port (an openssl older than 1.1.1, or LibreSSL?)"),
            Err(_) => {
                let ended = server.child.try_wait().ok().flatten();
                panic!("s_server did not start listening within 10 s (ended: {ended:?}; options {options:?})")
            }
        }
        server
    }

    /// `127.0.0.1:PORT`.
    pub fn target(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for OpensslServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Fails unless every line of `text` fits `width` columns, and no word of it was split: each of its words (but
/// those shortened with `…`) is a word of `wide`, the same output where nothing wraps, or one of `also`.
pub fn assert_fits(text: &str, width: usize, wide: &str, also: &[&str]) {
    for (i, line) in text.lines().enumerate() {
        assert!(
            line.chars().count() <= width,
            "line {} has {} columns (> {width}):\n{text}",
            i + 1,
            line.chars().count()
        );
    }
    // (a word may end a sentence in one layout and not in another: punctuation around it does not count)
    let bare = |w: &str| w.trim_matches(|c: char| ":;,\"()".contains(c)).to_string();
    let whole: std::collections::HashSet<String> =
        wide.split_whitespace().chain(also.iter().copied()).map(bare).collect();
    for word in text.split_whitespace().filter(|w| !w.contains('…')) {
        assert!(whole.contains(&bare(word)), "'{word}' is not a word of the unwrapped output (split?):\n{text}");
    }
}
