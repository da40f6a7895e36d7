//! The `remu` command line, compatible with qemu-user's: `remu [OPTIONS] PROGRAM [ARGS...]`.
//!
//! Options end at PROGRAM: everything after it belongs to the guest, even `--help`. clap alone
//! cannot express "the first bare word ends option parsing" for options that take values
//! (`-L DIR`), so [`split`] finds PROGRAM by hand and clap parses `OPTIONS -- PROGRAM ARGS`.

use clap::{ArgAction, Parser};
use std::ffi::{OsStr, OsString};
use std::path::PathBuf;

/// Exit status for a usage error (clap's).
pub const EXIT_USAGE: i32 = 2;

const AFTER_HELP: &str = "\
Environment:
  REMU_LD_PREFIX, QEMU_LD_PREFIX  default for -L (REMU_LD_PREFIX wins)

Exit status: the guest's own. When the guest dies of a signal, remu dies of the same signal.
  126  the program cannot be run (not an ELF, corrupt, or not aarch64/riscv64)
  127  the program (or its ELF interpreter) was not found
  2    bad remu options

`remu binfmt ...` manages binfmt_misc registration (see `remu binfmt --help`).";

/// Run a Linux aarch64 or riscv64 program on this x86_64 host.
#[derive(Parser, Debug)]
#[command(name = "remu", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Guest sysroot: the ELF interpreter and absolute paths are looked up here first.
    #[arg(short = 'L', long = "sysroot", value_name = "DIR")]
    pub sysroot: Option<PathBuf>,
    /// Set VAR=VALUE in the guest environment (repeatable).
    #[arg(short = 'E', value_name = "VAR=VALUE", action = ArgAction::Append)]
    pub set_env: Vec<OsString>,
    /// Remove VAR from the guest environment (repeatable).
    #[arg(short = 'U', value_name = "VAR", action = ArgAction::Append)]
    pub unset_env: Vec<OsString>,
    /// argv[0] for the guest (default: PROGRAM as given).
    #[arg(short = '0', value_name = "ARGV0")]
    pub argv0: Option<OsString>,
    /// Log every guest system call to stderr.
    #[arg(long)]
    pub strace: bool,
    /// At exit, print engine counters to stderr: blocks translated and compiled, translation
    /// time, chain and indirect-branch-table hit rates (JIT).
    #[arg(long)]
    pub stats: bool,
    /// Debug logs, comma separated: in_asm (guest code of each translated block), ir (its IR),
    /// out_asm (the x86_64 code the JIT made of it).
    #[arg(short = 'd', value_name = "ITEMS")]
    pub debug: Option<String>,
    /// Write -d logs to FILE instead of stderr.
    #[arg(short = 'D', value_name = "FILE")]
    pub log_file: Option<PathBuf>,
    /// Execution engine: interp (IR interpreter) or jit (x86_64 JIT; the default once it passes
    /// every guest test).
    #[arg(long, value_name = "ENGINE", value_parser = ["interp", "jit"])]
    pub engine: Option<String>,
    /// The guest program (a path; a bare name is looked up in the current directory).
    #[arg(value_name = "PROGRAM", required = true)]
    pub program: Option<OsString>,
    /// Arguments for the guest program.
    #[arg(value_name = "ARGS", trailing_var_arg = true, allow_hyphen_values = true)]
    pub args: Vec<OsString>,
}

/// What `-d` asked for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DebugLog {
    pub in_asm: bool,
    pub ir: bool,
    /// Host code of each compiled block (JIT only).
    pub out_asm: bool,
}

impl DebugLog {
    /// Parse `in_asm,ir,out_asm`; an unknown item is an error naming the valid ones.
    pub fn parse(s: &str) -> Result<DebugLog, String> {
        let mut d = DebugLog::default();
        for item in s.split(',').filter(|i| !i.is_empty()) {
            match item {
                "in_asm" => d.in_asm = true,
                "ir" | "op" => d.ir = true,
                "out_asm" => d.out_asm = true,
                other => return Err(format!("unknown -d item '{other}' (valid: in_asm, ir, out_asm)")),
            }
        }
        Ok(d)
    }
}

/// Options that take a separate value: the word after them is never PROGRAM.
const VALUE_OPTS: &[&str] = &["-L", "--sysroot", "-E", "-U", "-0", "-d", "-D", "--engine"];

/// Rewrite `args` (argv[0] included) so that clap sees `remu OPTIONS -- PROGRAM ARGS...`.
pub fn split(args: &[OsString]) -> Vec<OsString> {
    let mut i = 1;
    while i < args.len() {
        let a = args[i].as_encoded_bytes();
        if a == b"--" {
            return args.to_vec();
        }
        if a.len() > 1 && a[0] == b'-' {
            let takes_value = VALUE_OPTS.iter().any(|o| o.as_bytes() == a);
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        break;
    }
    if i >= args.len() {
        return args.to_vec();
    }
    let mut out: Vec<OsString> = args[..i].to_vec();
    out.push("--".into());
    out.extend_from_slice(&args[i..]);
    out
}

/// Parse remu's arguments (exits with clap's message and status on error, --help, --version).
pub fn parse(args: &[OsString]) -> Cli {
    Cli::parse_from(split(args))
}

/// The guest environment: the host's, with `-U` removals and then `-E` settings applied.
pub fn guest_env(host: impl Iterator<Item = (OsString, OsString)>, cli: &Cli) -> Vec<OsString> {
    let mut env: Vec<(OsString, OsString)> = host.collect();
    for name in &cli.unset_env {
        env.retain(|(k, _)| k != name);
    }
    for kv in &cli.set_env {
        let bytes = kv.as_encoded_bytes();
        let (k, v) = match bytes.iter().position(|&b| b == b'=') {
            // SAFETY: splitting at an ASCII '=' keeps both halves valid OsStr encodings.
            Some(p) => unsafe {
                (
                    OsStr::from_encoded_bytes_unchecked(&bytes[..p]).to_os_string(),
                    OsStr::from_encoded_bytes_unchecked(&bytes[p + 1..]).to_os_string(),
                )
            },
            None => (kv.clone(), OsString::new()),
        };
        env.retain(|(name, _)| *name != k);
        env.push((k, v));
    }
    env.into_iter()
        .map(|(mut k, v)| {
            k.push("=");
            k.push(v);
            k
        })
        .collect()
}

/// The sysroot: `-L`, else REMU_LD_PREFIX, else QEMU_LD_PREFIX (empty values ignored).
pub fn sysroot(flag: Option<PathBuf>, env: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    flag.or_else(|| {
        ["REMU_LD_PREFIX", "QEMU_LD_PREFIX"]
            .iter()
            .find_map(|k| env(k).filter(|v| !v.is_empty()).map(PathBuf::from))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn options_end_at_program() {
        let cli =
            Cli::try_parse_from(split(&os(&["remu", "-L", "/sys", "--strace", "prog", "--help", "-L", "x"])))
                .expect("parses");
        assert_eq!(cli.sysroot, Some(PathBuf::from("/sys")));
        assert!(cli.strace);
        assert_eq!(cli.program, Some("prog".into()));
        assert_eq!(cli.args, os(&["--help", "-L", "x"]));
    }

    #[test]
    fn value_options_may_look_like_programs() {
        let cli =
            Cli::try_parse_from(split(&os(&["remu", "-0", "name", "-E", "A=1", "p", "a"]))).expect("parses");
        assert_eq!(cli.argv0, Some("name".into()));
        assert_eq!(cli.set_env, os(&["A=1"]));
        assert_eq!(cli.program, Some("p".into()));
        assert_eq!(cli.args, os(&["a"]));
    }

    #[test]
    fn bad_flag_and_missing_program_are_errors() {
        assert!(Cli::try_parse_from(split(&os(&["remu", "--bogus", "p"]))).is_err());
        assert!(Cli::try_parse_from(split(&os(&["remu", "--strace"]))).is_err());
        assert!(Cli::try_parse_from(split(&os(&["remu", "--engine", "fast", "p"]))).is_err());
    }

    #[test]
    fn env_edits_apply_in_order() {
        let cli = Cli::try_parse_from(split(&os(&["remu", "-U", "B", "-E", "A=x=y", "-E", "C", "p"])))
            .expect("parses");
        let host = vec![("A".into(), "1".into()), ("B".into(), "2".into()), ("D".into(), "4".into())];
        assert_eq!(guest_env(host.into_iter(), &cli), os(&["D=4", "A=x=y", "C="]));
    }

    #[test]
    fn sysroot_precedence() {
        let cli = Cli::try_parse_from(split(&os(&["remu", "p"]))).expect("parses");
        let env = |k: &str| match k {
            "QEMU_LD_PREFIX" => Some(OsString::from("/q")),
            "REMU_LD_PREFIX" => Some(OsString::new()),
            _ => None,
        };
        assert_eq!(sysroot(cli.sysroot, env), Some(PathBuf::from("/q")));
        let cli = Cli::try_parse_from(split(&os(&["remu", "--sysroot=/l", "p"]))).expect("parses");
        assert_eq!(sysroot(cli.sysroot, env), Some(PathBuf::from("/l")));
    }

    #[test]
    fn debug_items() {
        assert_eq!(DebugLog::parse("in_asm,ir"), Ok(DebugLog { in_asm: true, ir: true, out_asm: false }));
        assert_eq!(DebugLog::parse("out_asm"), Ok(DebugLog { out_asm: true, ..Default::default() }));
        assert!(DebugLog::parse("in_asm,exec").is_err());
    }
}
