//! The README's example runs are real output, and stay so: every `$ ucert ...` in a fenced block is run here exactly
//! as shown (a subcommand that judges validity must show its `--at`, so that a reader who runs it sees the same
//! days), through a pipe as a reader's terminal-less run would be (100 columns), and every line the README shows
//! under it must appear in the output, in the same order. A line `...` marks output left out; `$ echo $?` gives the
//! exit code. The `connect` example runs against a real `openssl s_server` with the self-signed fixture, started as
//! the README says.

mod common;

use common::{OpensslServer, PIPE_WIDTH, ucert_at_width};

/// One `$ ucert ...` run and what the README shows of it.
#[derive(Debug)]
struct Example {
    /// 1-based line of the command in README.md.
    line: usize,
    args: Vec<String>,
    shown: Vec<String>,
    exit_code: Option<i32>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut found: Vec<Example> = Vec::new();
    let mut in_block = false;
    let mut current: Option<Example> = None;
    let mut awaiting_code = false;
    for (i, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            in_block = !in_block;
            found.extend(current.take());
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ucert ") {
            found.extend(current.take());
            let command = command.split("  #").next().unwrap_or(command);
            current = Some(Example { line: i + 1, args: split_words(command), shown: Vec::new(), exit_code: None });
        } else if line == "$ echo $?" {
            awaiting_code = true;
        } else if let Some(example) = current.as_mut() {
            if awaiting_code {
                example.exit_code = Some(line.trim().parse().expect("an exit code after `$ echo $?`"));
                awaiting_code = false;
            } else if line.trim() != "..." {
                example.shown.push(line.trim_end().to_string());
            }
        }
    }
    found
}

/// Shell words: spaces separate, double quotes group (enough for the README's commands).
fn split_words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in command.trim().chars() {
        match c {
            '"' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            _ => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// Subcommands whose output depends on the date.
const DATED: [&str; 7] = ["match", "chain", "trust", "pair", "plan", "inspect", "connect"];

#[test]
fn every_example_in_the_readme_is_what_ucert_prints() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let examples = examples(&readme);
    let subcommands: Vec<&str> = examples.iter().map(|e| e.args[0].as_str()).collect();
    for sub in ["match", "chain", "trust", "pair", "plan", "logs", "connect", "explain", "inspect", "modulus"] {
        assert!(subcommands.contains(&sub), "the README has no example of `ucert {sub}`");
    }
    let mut failures = Vec::new();
    for example in &examples {
        let mut args = example.args.clone();
        let mut server = None;
        let mut readme_port = None;
        if args[0] == "connect" {
            if !common::has_openssl("the README's connect example") {
                continue;
            }
            let s = OpensslServer::start("connect/selfsigned.pem", "connect/selfsigned.key", None, &[]);
            readme_port = args[1].rsplit(':').next().map(str::to_string);
            args[1] = format!("127.0.0.1:{}", s.port);
            server = Some(s);
        }
        if DATED.contains(&args[0].as_str()) && !args.iter().any(|a| a == "--at") {
            failures.push(format!(
                "README.md:{}: `ucert {}` judges validity: show its --at",
                example.line,
                args.join(" ")
            ));
            continue;
        }
        let out = ucert_at_width(PIPE_WIDTH).env_remove("COLUMNS").args(&args).output().unwrap();
        let mut printed = String::from_utf8_lossy(&out.stdout).into_owned();
        printed.push_str(&String::from_utf8_lossy(&out.stderr));
        let mut printed = common::slashes(&printed);
        if let (Some(s), Some(port)) = (&server, &readme_port) {
            printed = printed.replace(&format!(":{}", s.port), &format!(":{port}"));
        }
        let printed: Vec<&str> = printed.lines().map(str::trim_end).collect();
        let mut from = 0;
        for shown in &example.shown {
            match printed[from..].iter().position(|p| p == shown) {
                Some(at) => from += at + 1,
                None => {
                    failures.push(format!(
                        "README.md:{} `ucert {}`: the line\n    {shown}\nis not printed (in this order); ucert printed:\n{}",
                        example.line,
                        example.args.join(" "),
                        printed.join("\n")
                    ));
                    break;
                }
            }
        }
        if let Some(code) = example.exit_code
            && out.status.code() != Some(code)
        {
            failures.push(format!("README.md:{}: exit code {:?}, README says {code}", example.line, out.status));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn words_split_as_a_shell_would_for_the_readme() {
    assert_eq!(split_words(r#"explain "a b  c" x"#), ["explain", "a b  c", "x"]);
    assert_eq!(split_words("inspect  f"), ["inspect", "f"]);
}
