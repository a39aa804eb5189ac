//! The command line, as clap derive structs: names, help texts and examples. Nothing here decides anything;
//! [`crate::config`] turns a parsed [`Cli`] into the settings the rest of the program reads.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use time::OffsetDateTime;

use crate::cucm::Purpose;

/// The purposes `--purpose` takes, in the words of every subcommand's help.
macro_rules! purpose_help {
    ($default:literal) => {
        concat!(
            "The certificate purpose: tomcat, tomcat-ECDSA, CallManager, CallManager-ECDSA, ipsec, CAPF, TVS, ",
            "ITLRecovery, or IM and Presence's cup, cup-xmpp, cup-xmpp-s2s and their -ECDSA twins (any case). Default: ",
            $default
        )
    };
}

#[derive(Debug, Parser)]
#[command(
    name = "ucert",
    version = crate::VERSION,
    // no styling of clap's own: its messages reach the escaping sink as plain text (see `main`'s usage_error), so
    // that escape codes in a quoted argument are a stranger's and are shown, never stripped or obeyed
    styles = clap::builder::Styles::plain(),
    about = "Will CUCM accept this CA-signed certificate? If not, which error will it show, and why.",
    long_about = "Checks CA-signed certificates for Cisco Unified Communications (CUCM, IM&P, Unity Connection, UCCX) \
                  before you upload them: key match with the CSR, SANs, validity, key usage, chain. Offline.",
    after_help = "Exit codes: 0 pass, 1 a check failed, 2 usage error or unreadable input. '-' reads standard input.\n\n\
                  Examples:\n  \
                  ucert match tomcat.csr certnew.cer          # will CUCM accept it? if not, why\n  \
                  ucert pair cluster-certs/                   # every node's CSRs and the CA's answers at once\n  \
                  ucert explain \"CSR SAN and Certificate SAN does not match\""
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `connect --starttls`: what is spoken before TLS (the values are described on the flag, so that `--help` keeps
/// its one-line layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StarttlsChoice {
    Auto,
    None,
    Xmpp,
    XmppServer,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Will CUCM accept this certificate for this CSR? If not, which error will it show, and why.
    #[command(
        name = "match",
        after_help = "Examples:\n  ucert match tomcat.csr certnew.cer\n  ucert match tomcat.csr certnew.p7b --json\n  \
                      ucert match --purpose CallManager --ca root.cer --ca issuing.cer cm.csr certnew.cer\n  \
                      ucert match tomcat.key - < certnew.cer   # does this key belong to the certificate?"
    )]
    Match(MatchArgs),

    /// Sort the CA's files into chains and print the CUCM upload plan, in order.
    #[command(
        after_help = "Examples:\n  ucert chain certnew.p7b\n  ucert chain root.cer issuing.cer certnew.cer --purpose CallManager\n  \
                            ucert chain certnew.p7b --split upload/   # one PEM file per certificate, numbered in upload order"
    )]
    Chain(ChainArgs),

    /// Predict what CUCM does when NEW is uploaded as a trust certificate while EXISTING is stored.
    #[command(
        after_help = "Examples:\n  ucert trust old-root.pem new-root.pem\n  ucert trust --json stored.pem incoming.cer"
    )]
    Trust(TrustArgs),

    /// Pair a cluster's CSRs, certificates and keys (files and directories), with each pair's verdict.
    #[command(after_help = "Examples:\n  ucert pair cluster-certs/\n  ucert pair csrs/ certnew*.cer keys/ --json\n  \
                            ucert pair . | grep -v '^match'")]
    Pair(PairArgs),

    /// The checked renewal runbook of a cluster: maintenance windows in a safe order, every upload checked first.
    #[command(after_help = "Examples:\n  ucert plan cluster-certs/\n  \
                            ucert plan cluster-certs/ --mixed-mode --sso --publisher cucm-pub\n  \
                            ucert plan cluster-certs/ --trust-store current-trust/ --markdown > change-ticket.md")]
    Plan(PlanArgs),

    /// Diagnose CAPF Online CA enrollment from its logs (CAPF, CiscoRA, NGINX error.log, IIS; plain or .gz).
    #[command(
        after_help = "Examples:\n  ucert logs error.log capf.txt u_ex190305.log\n  ucert logs --json cpi-*.txt.gz\n  ucert logs rtmt-collection/"
    )]
    Logs(LogsArgs),

    /// Check what servers really present and how soon it expires (Cisco Tomcat on 8443, SIP over TLS on 5061, XMPP
    /// on 5222 and 5269 after STARTTLS, the CA's IIS for CAPF Online CA), many at once.
    #[command(after_help = "Examples:\n  ucert connect cucm-pub.example.com            # port 8443\n  \
                            ucert connect cucm-pub:8443 --expect certnew.cer   # is the new certificate served?\n  \
                            ucert connect cucm-imp:5222 --xmpp-domain example.com   # cup-xmpp, after STARTTLS\n  \
                            ucert connect lab-dc.example.com:443 --ca root.cer --save iis/\n  \
                            ucert connect cucm-pub:8443 cucm-sub:8443 cucm-pub:5061 --warn-days 45 --format nagios\n  \
                            ucert connect --targets cluster.txt --format csv > expiry.csv")]
    Connect(ConnectArgs),

    /// Explain a CUCM certificate error text: what it means, its causes, what to check, and the ucert command.
    #[command(after_help = "Examples:\n  ucert explain \"CSR SAN and Certificate SAN does not match\"\n  \
                            ucert explain 'The file /usr/local/platform/upload/certs//tomcat.der could not be uploaded.'\n  \
                            ucert explain CAA1015")]
    Explain(ExplainArgs),

    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = "Examples:\n  ucert completions bash > /etc/bash_completion.d/ucert\n  \
                            ucert completions zsh > \"${fpath[1]}/_ucert\"\n  ucert completions fish > ~/.config/fish/completions/ucert.fish")]
    Completions(CompletionsArgs),

    /// Print the man page (roff).
    #[command(after_help = "Examples:\n  ucert man | man -l -\n  ucert man > /usr/local/share/man/man1/ucert.1")]
    Man,

    /// Show what certificates, CSRs, PKCS#7 chains and keys hold.
    #[command(after_help = "Examples:\n  ucert inspect certnew.cer\n  ucert inspect --json certnew.p7b tomcat.csr\n  \
                            openssl s_client -connect cucm:8443 </dev/null | ucert inspect -")]
    Inspect(InspectArgs),

    /// Print the MD5 of each RSA modulus, exactly as `openssl ... -modulus | openssl md5` does.
    #[command(after_help = "Examples:\n  ucert modulus tomcat.csr certnew.cer\n  \
                            ucert modulus tomcat.csr certnew.cer | awk '{print $1}' | uniq | wc -l   # 1 = same key")]
    Modulus(ModulusArgs),
}

#[derive(Debug, Args)]
pub struct ChainArgs {
    /// Certificates in any form and order: a .p7b, bundles, single files, a ZIP of them; '-' for standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[arg(long, value_name = "PURPOSE", value_parser = parse_purpose, help = purpose_help!("inferred from the leaf, and said so."))]
    pub purpose: Option<Purpose>,

    /// Write each certificate to DIR as its own PEM file, numbered in upload order (existing files are never
    /// overwritten: nothing is written if one exists).
    #[arg(long, value_name = "DIR")]
    pub split: Option<PathBuf>,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub thresholds: ThresholdArgs,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct TrustArgs {
    /// The trust certificate CUCM already has (e.g. exported from tomcat-trust).
    #[arg(value_name = "EXISTING")]
    pub existing: PathBuf,

    /// The trust certificate about to be uploaded.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct PairArgs {
    /// Files and directories (searched recursively; symbolic links are not followed out of the tree).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[arg(long, value_name = "PURPOSE", value_parser = parse_purpose, help = purpose_help!("from each CSR's file name, e.g. tomcat.csr."))]
    pub purpose: Option<Purpose>,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub thresholds: ThresholdArgs,

    #[command(flatten)]
    pub format: CsvFormatArg,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The CSRs (a folder per node, or any layout), the CA's answers and its CA certificates.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// The cluster is in mixed mode (Enterprise Parameters > Cluster Security Mode = 1): the CTL steps are planned.
    #[arg(long, conflicts_with = "non_secure")]
    pub mixed_mode: bool,

    /// The cluster is non-secure (Cluster Security Mode = 0): no CTL steps. Without either, they are conditional.
    #[arg(long)]
    pub non_secure: bool,

    /// SAML SSO is enabled: it is turned off for the tomcat window and on again after it.
    #[arg(long)]
    pub sso: bool,

    /// The publisher (a node's CN or host name). Default: the node that holds the CAPF CSR.
    #[arg(long, value_name = "NODE")]
    pub publisher: Option<String>,

    /// A folder of the certificates the cluster's trust stores hold now: those are not uploaded again.
    #[arg(long, value_name = "DIR")]
    pub trust_store: Option<PathBuf>,

    #[arg(long, value_name = "PURPOSE", value_parser = parse_purpose, help = purpose_help!("from each CSR's file name, e.g. tomcat.csr."))]
    pub purpose: Option<Purpose>,

    /// Print the plan as a Markdown checklist, to paste into a change ticket.
    #[arg(long, conflicts_with_all = ["json", "quiet"])]
    pub markdown: bool,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Log files, recognised by content; gzip-compressed files are read as they are; '-' for standard input. A
    /// folder (as RTMT collects them), or a ZIP or tar archive of one, is read for every file in it, and what is
    /// not a log there is listed.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// The servers: HOST, HOST:PORT or [IPv6]:PORT (default port 8443), or an https:// address copied from the
    /// browser (its port, else 443). CUCM's TLS ports: 8443 (Cisco Tomcat: the tomcat certificate), 5061 (SIP over
    /// TLS: the CallManager certificate); IM and Presence's 5222 and 5269 (XMPP: cup-xmpp and cup-xmpp-s2s, after
    /// STARTTLS).
    #[arg(value_name = "HOST[:PORT]", required_unless_present = "targets_file")]
    pub targets: Vec<String>,

    /// Read more targets from FILE, one per line ('#' starts a comment, blank lines are skipped); '-' for standard
    /// input.
    #[arg(long = "targets", value_name = "FILE")]
    pub targets_file: Option<PathBuf>,

    /// How many servers to connect to at once (each gives up after --timeout).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,

    /// The name to send in SNI and to check the certificate against (default: HOST; over XMPP, the XMPP domain).
    #[arg(long, value_name = "NAME")]
    pub sni: Option<String>,

    /// What to speak before TLS: auto (XMPP's STARTTLS on 5222 and 5269, as Jabber and federated servers do; TLS at
    /// once elsewhere), none (TLS at once), xmpp (client-to-server, as openssl s_client -starttls xmpp), xmpp-server
    /// (server-to-server).
    #[arg(long, value_enum, value_name = "PROTOCOL", default_value_t = StarttlsChoice::Auto)]
    pub starttls: StarttlsChoice,

    /// The XMPP domain to open the stream to before STARTTLS: the part after @ in a Jabber ID (default: --sni,
    /// else HOST).
    #[arg(long, value_name = "DOMAIN")]
    pub xmpp_domain: Option<String>,

    /// CA certificates the chain should lead to; repeat for several files.
    #[arg(long = "ca", value_name = "FILE")]
    pub ca: Vec<PathBuf>,

    /// The certificate (or the CSR or key) the server should present; exit 1 if it presents another.
    #[arg(long, value_name = "FILE")]
    pub expect: Option<PathBuf>,

    /// Write the presented certificates to DIR as PEM files (never overwriting; one target only).
    #[arg(long, value_name = "DIR")]
    pub save: Option<PathBuf>,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub thresholds: ThresholdArgs,

    #[command(flatten)]
    pub format: MonitorFormatArg,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The error text as CUCM showed it (any case, with or without the path); several words are joined.
    #[arg(required = true, value_name = "TEXT")]
    pub text: Vec<String>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub color: ColorArg,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files to read (PEM, DER, PKCS#7, base64, a ZIP of them; '-' for standard input).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub thresholds: ThresholdArgs,

    #[command(flatten)]
    pub format: MonitorFormatArg,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The CSR CUCM generated (or a private or public key); '-' for standard input.
    #[arg(value_name = "CSR")]
    pub csr: PathBuf,

    /// The certificate the CA returned: PEM, DER, a bundle, a .p7b or the CA's ZIP; '-' for standard input.
    #[arg(value_name = "CERT")]
    pub cert: PathBuf,

    #[arg(long, value_name = "PURPOSE", value_parser = parse_purpose, help = purpose_help!("from the CSR's file name, e.g. tomcat.csr."))]
    pub purpose: Option<Purpose>,

    /// CA certificates (root, intermediates) to check the chain with; repeat for several files.
    #[arg(long = "ca", value_name = "FILE")]
    pub ca: Vec<PathBuf>,

    #[command(flatten)]
    pub at: AtArg,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ModulusArgs {
    /// Files to read; every RSA certificate, CSR or key in them gets a line.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub common: CommonArgs,
}

/// `--warn-days` and `--critical-days`, on every subcommand that judges how soon certificates expire.
#[derive(Debug, Args)]
pub struct ThresholdArgs {
    /// A certificate with fewer days left than this is a warning.
    #[arg(long, value_name = "DAYS", default_value_t = 30)]
    pub warn_days: u32,

    /// A certificate with fewer days left than this, expired or not yet valid, is a failed check (exit 1).
    #[arg(long, value_name = "DAYS", default_value_t = 7)]
    pub critical_days: u32,
}

/// `--format` on the subcommands whose report is also a Nagios line and CSV (`connect`, `inspect`).
#[derive(Debug, Args)]
pub struct MonitorFormatArg {
    /// The form of the report: text (default), json (as --json), nagios (one status line and exit code as a Nagios
    /// plugin), csv (RFC 4180, a header row, for a spreadsheet).
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["text", "json", "nagios", "csv"]),
          conflicts_with_all = ["json", "quiet", "verbose"])]
    pub format: Option<Format>,
}

/// `--format` on the subcommands whose report is also CSV (`pair`).
#[derive(Debug, Args)]
pub struct CsvFormatArg {
    /// The form of the report: text (default), json (as --json), csv (RFC 4180, a header row, for a spreadsheet).
    #[arg(long, value_name = "FORMAT", value_parser = formats(&["text", "json", "csv"]),
          conflicts_with_all = ["json", "quiet", "verbose"])]
    pub format: Option<Format>,
}

/// The report forms `--format` names; each subcommand accepts those it can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Nagios,
    Csv,
}

/// `--format`'s parser, limited to `allowed` (so `--help` and the error list only what the subcommand writes).
fn formats(allowed: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(allowed).map(|s| match s.as_str() {
        "json" => Format::Json,
        "nagios" => Format::Nagios,
        "csv" => Format::Csv,
        _ => Format::Text,
    })
}

/// `--at`, the same on every subcommand that judges validity.
#[derive(Debug, Args)]
pub struct AtArg {
    /// Judge validity at this time (RFC 3339, e.g. 2026-06-01T00:00:00Z, or a date) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_time)]
    pub at: Option<OffsetDateTime>,
}

/// `--json`, `-q/--quiet` and `-v/--verbose`, the same on every subcommand that writes a report.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Print JSON (stable fields, see the README) instead of text; an error is a JSON object too.
    #[arg(long, conflicts_with_all = ["quiet", "verbose"])]
    pub json: bool,

    /// Print nothing on standard output: the exit code says it all (0 pass, 1 a check failed, 2 error).
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Show everything: every check, every list in full.
    #[arg(long, short)]
    pub verbose: bool,
}

/// `--color`, on every subcommand whose text has colour.
#[derive(Debug, Args)]
pub struct ColorArg {
    /// When to colour the output: auto (only on a terminal, honouring NO_COLOR), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// `--color` and `--timeout`, on every subcommand that reads inputs or servers.
#[derive(Debug, Args)]
pub struct CommonArgs {
    #[command(flatten)]
    pub color: ColorArg,

    /// Give up on a server, or on a pipe, a device or standard input, that stays silent this long, in seconds.
    #[arg(long, alias = "read-timeout", value_name = "SECS", default_value_t = 10.0, value_parser = parse_seconds)]
    pub timeout: f64,
}

/// Parses a positive number of seconds (fractions allowed).
pub fn parse_seconds(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v > 0.0 && *v <= 86_400.0)
        .ok_or_else(|| format!("'{s}' is not a number of seconds between 0 and 86400"))
}

/// Parses `--purpose` in any case.
pub fn parse_purpose(s: &str) -> Result<Purpose, String> {
    Purpose::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Purpose::ALL.iter().map(|p| p.name()).collect();
        format!("'{s}' is not a certificate purpose; one of: {}", names.join(", "))
    })
}

/// Parses `--at`: RFC 3339, or a bare date (midnight UTC).
pub fn parse_time(s: &str) -> Result<OffsetDateTime, String> {
    use time::format_description::well_known::Rfc3339;
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let date_only = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, date_only)
        .map(|d| d.midnight().assume_utc())
        .map_err(|_| format!("'{s}' is not an RFC 3339 time such as 2026-06-01T00:00:00Z (or a date 2026-06-01)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn at_accepts_rfc3339_and_plain_dates() {
        assert_eq!(parse_time("2026-06-01").unwrap(), parse_time("2026-06-01T00:00:00Z").unwrap());
        assert!(parse_time("yesterday").is_err());
    }
}
