//! Inputs that block: /proc files that declare no size (and /proc/kmsg, which never ends), pipes on standard input
//! that stay open, FIFOs given to `logs` and `pair`, and walks into /proc and /sys. Each ends within
//! `--timeout` with exit 2 and one line, or is skipped and counted; none hangs (every run here is killed
//! after 30 s, which would fail the test).

mod common;

use std::time::Duration;

use common::ucert;

const LIMIT: Duration = Duration::from_secs(30);

#[cfg(target_os = "linux")]
fn one_line_error(args: &[&str]) -> String {
    let out = ucert().args(args).timeout(LIMIT).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    stderr
}

#[cfg(target_os = "linux")]
#[test]
fn proc_kmsg_is_given_up_on_by_every_reader() {
    if !std::path::Path::new("/proc/kmsg").exists() {
        eprintln!("skipped: no /proc/kmsg here");
        return;
    }
    for cmd in ["inspect", "logs", "modulus"] {
        let line = one_line_error(&[cmd, "--timeout", "0.5", "/proc/kmsg"]);
        assert!(line.starts_with("ucert: /proc/kmsg: "), "{line}");
    }
    let out = ucert().args(["pair", "--timeout", "0.5", "/proc/kmsg"]).timeout(LIMIT).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("1 unreadable file"), "{text}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_proc_file_that_declares_no_size_is_read_whole() {
    // /proc/self/status says it has 0 bytes; it has many
    let line = one_line_error(&["inspect", "/proc/self/status"]);
    assert!(line.contains("text without a PEM block"), "{line}");
}

#[cfg(target_os = "linux")]
#[test]
fn walks_into_proc_and_sys_are_skipped_and_said() {
    let out = ucert().args(["pair", "/proc", "/sys"]).timeout(LIMIT).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("/proc: a kernel interface (/proc, /sys), not files: not read"), "{text}");
    assert!(text.contains("/sys: a kernel interface"), "{text}");
    assert!(text.contains("2 entries skipped"), "{text}");
}

#[test]
fn standard_input_from_a_pipe_that_stays_open_is_given_up_on() {
    use std::process::{Command, Stdio};
    let bin = assert_cmd::cargo::cargo_bin("ucert");
    for cmd in ["inspect", "logs"] {
        let mut child = Command::new(&bin)
            .args([cmd, "--timeout", "0.5", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let _writer = child.stdin.take(); // held open, never written
        let start = std::time::Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert_eq!(status.code(), Some(2), "{cmd}");
                break;
            }
            assert!(start.elapsed() < LIMIT, "{cmd} - hangs on an open, silent pipe");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_given_to_logs_is_given_up_on_and_pair_skips_one_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("silent.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let _writer = std::fs::OpenOptions::new().read(true).write(true).open(&fifo).unwrap(); // open, silent
    let line = one_line_error(&["logs", "--timeout", "0.5", fifo.to_str().unwrap()]);
    assert!(line.contains("nothing to read for 0.5 s"), "{line}");
    let out = ucert().args(["pair", dir.path().to_str().unwrap()]).timeout(LIMIT).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("not a regular file (a pipe, socket or device)"), "{text}");
}

/// Standard input from a terminal: ucert says it is waiting for input (and how to end it) before it reads, and
/// then reads what was typed. Run in a pseudo-terminal by util-linux's `script`; skipped where it is absent.
#[cfg(unix)]
#[test]
fn a_terminal_on_standard_input_is_told_what_ucert_waits_for() {
    use std::io::Write;
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: util-linux's script is not installed");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("ucert");
    let command = format!("{} inspect --at {} -", bin.display(), common::AT);
    let mut child = std::process::Command::new("script")
        .args(["-q", "-e", "-c", &command, "/dev/null"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut typed = std::fs::read(common::fixture_abs("cucm/tomcat.pem")).unwrap();
    typed.push(0x04); // Ctrl-D at the start of a line: end of input
    child.stdin.take().unwrap().write_all(&typed).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("ucert: reading standard input (end with Ctrl-D)"), "{text}");
    assert!(text.contains("CN = cucm-pub.example.com"), "{text}");
}
