//! `remu binfmt ...`: argument parsing and dispatch. The `remu` binary calls [`run`] with the
//! words after `binfmt`; it returns the process exit code (0 ok, 1 failed, 2 bad usage) and
//! prints every error as one clear line on stderr.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::arch::parse_list;
use crate::error::{Error, Result};
use crate::export::{export, Format};
use crate::fs::BinfmtFs;
use crate::install::{install, specs, uninstall, InstallOptions};
use crate::status::status;

pub const USAGE: &str = "\
usage: remu binfmt <command> [options]

commands:
  install [ARCH...]     register remu with binfmt_misc (ARCH: aarch64, arm64, linux/arm64,
                        riscv64, linux/riscv64, all; default all)
      --path PATH       interpreter to register (absolute; default: this remu)
      --credential      take credentials from the binary (flags POCF instead of POF)
      --no-fix-binary   register without F (allows a dynamically linked remu, which must then
                        exist at PATH inside chroots and containers)
      --replace         replace remu entries that are registered differently
      --dry-run         print the register lines and change nothing
  uninstall [ARCH...]   remove remu's entries (never anyone else's)
      --dry-run         say what would be removed
  status                remu's entries, conflicting entries, and a real probe per architecture
      --json            tonistiigi/binfmt's {\"supported\": [...], \"emulators\": [...]}
  export [ARCH...]      write files that register remu at boot
      --systemd DIR     binfmt.d(5) files remu-<arch>.conf
      --debian DIR      binfmt-support import files (update-binfmts --import)
      --path, --credential, --no-fix-binary as for install
";

/// Runs `remu binfmt <args>`. `self_exe` is the running remu, the default interpreter.
/// A leading `binfmt` word in `args` is skipped, so callers may pass either form.
pub fn run(args: &[OsString], self_exe: &Path) -> i32 {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    run_with(args, self_exe, &BinfmtFs::default(), &mut out, &mut err)
}

/// [`run`] with explicit binfmt_misc location and output streams.
pub fn run_with(
    args: &[OsString],
    self_exe: &Path,
    fs: &BinfmtFs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let args = match args.first() {
        Some(a) if a == "binfmt" => &args[1..],
        _ => args,
    };
    let parsed = match Command::parse(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = writeln!(err, "remu binfmt: {e}\n\n{USAGE}");
            return 2;
        }
    };
    match parsed.execute(self_exe, fs, out, err) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "remu binfmt: error: {e}");
            1
        }
    }
}

#[derive(Debug, Default)]
struct Options {
    archs: Vec<String>,
    path: Option<PathBuf>,
    credential: bool,
    no_fix_binary: bool,
    replace: bool,
    dry_run: bool,
    json: bool,
    systemd: Option<PathBuf>,
    debian: Option<PathBuf>,
}

#[derive(Debug)]
enum Command {
    Help,
    Install(Options),
    Uninstall(Options),
    Status(Options),
    Export(Options),
}

impl Command {
    fn parse(args: &[OsString]) -> Result<Command> {
        let Some(cmd) = args.first() else { return Err(Error::new("no command given")) };
        let cmd = cmd.to_str().ok_or_else(|| Error::new("command is not UTF-8"))?;
        // Which options each command accepts; anything else is a usage error.
        let allowed: &[&str] = match cmd {
            "help" | "--help" | "-h" => return Ok(Command::Help),
            "install" => &["--path", "--credential", "--no-fix-binary", "--replace", "--dry-run"],
            "uninstall" => &["--dry-run"],
            "status" => &["--json"],
            "export" => &["--systemd", "--debian", "--path", "--credential", "--no-fix-binary"],
            other => return Err(Error::new(format!("unknown command '{other}'"))),
        };
        let mut o = Options::default();
        let mut it = args[1..].iter();
        while let Some(arg) = it.next() {
            let text = arg.to_string_lossy();
            if !text.starts_with('-') {
                if cmd == "status" {
                    return Err(Error::new(format!("status takes no architecture ('{text}')")));
                }
                o.archs.push(text.into_owned());
                continue;
            }
            let (key, inline) = match text.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(OsString::from(v))),
                None => (text.to_string(), None),
            };
            if key == "--help" || key == "-h" {
                return Ok(Command::Help);
            }
            if !allowed.contains(&key.as_str()) {
                return Err(Error::new(format!("'{cmd}' does not take option '{key}'")));
            }
            let mut value = || -> Result<PathBuf> {
                let v = inline.clone().or_else(|| it.next().cloned());
                v.filter(|v| !v.is_empty())
                    .map(PathBuf::from)
                    .ok_or_else(|| Error::new(format!("option '{key}' needs a value")))
            };
            match key.as_str() {
                "--path" => o.path = Some(value()?),
                "--systemd" => o.systemd = Some(value()?),
                "--debian" => o.debian = Some(value()?),
                "--credential" => o.credential = true,
                "--no-fix-binary" => o.no_fix_binary = true,
                "--replace" => o.replace = true,
                "--dry-run" => o.dry_run = true,
                "--json" => o.json = true,
                _ => return Err(Error::new(format!("unknown option '{key}'"))),
            }
            if inline.is_some() && !matches!(key.as_str(), "--path" | "--systemd" | "--debian") {
                return Err(Error::new(format!("option '{key}' takes no value")));
            }
        }
        Ok(match cmd {
            "install" => Command::Install(o),
            "uninstall" => Command::Uninstall(o),
            "status" => Command::Status(o),
            _ => {
                if o.systemd.is_some() == o.debian.is_some() {
                    return Err(Error::new("export needs exactly one of --systemd DIR or --debian DIR"));
                }
                Command::Export(o)
            }
        })
    }

    fn execute(self, self_exe: &Path, fs: &BinfmtFs, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
        match self {
            Command::Help => out.write_all(USAGE.as_bytes()).map_err(|e| Error::new(format!("writing: {e}"))),
            Command::Install(o) => {
                let opts = InstallOptions {
                    archs: parse_list(&o.archs)?,
                    interpreter: interpreter(&o, self_exe)?,
                    credential: o.credential,
                    fix_binary: !o.no_fix_binary,
                    replace: o.replace,
                    dry_run: o.dry_run,
                };
                install(fs, &opts, out, err)
            }
            Command::Uninstall(o) => uninstall(fs, &parse_list(&o.archs)?, o.dry_run, out, err),
            Command::Status(o) => status(fs, o.json, out),
            Command::Export(o) => {
                let specs = specs(
                    &parse_list(&o.archs)?,
                    &interpreter(&o, self_exe)?,
                    o.credential,
                    !o.no_fix_binary,
                )?;
                let (format, dir) = match (&o.systemd, &o.debian) {
                    (Some(d), _) => (Format::Systemd, d),
                    (_, Some(d)) => (Format::Debian, d),
                    _ => return Err(Error::new("export needs --systemd DIR or --debian DIR")),
                };
                export(format, dir, &specs, out).map(|_| ())
            }
        }
    }
}

/// `--path` (which must be absolute: the kernel resolves it in whatever root the program runs)
/// or the running remu.
fn interpreter(o: &Options, self_exe: &Path) -> Result<PathBuf> {
    match &o.path {
        Some(p) if !p.is_absolute() => Err(Error::new(format!(
            "--path '{}' is relative; binfmt_misc needs an absolute interpreter path",
            p.display()
        ))),
        Some(p) => Ok(p.clone()),
        None if self_exe.is_absolute() => Ok(self_exe.to_path_buf()),
        None => std::fs::canonicalize(self_exe).map_err(|e| Error::io("locating remu at", self_exe, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_args(args: &[&str]) -> (i32, String, String) {
        let args: Vec<OsString> = args.iter().map(OsString::from).collect();
        let fs = BinfmtFs { dir: "/nonexistent/binfmt_misc".into() };
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = run_with(&args, Path::new("/usr/bin/remu"), &fs, &mut out, &mut err);
        (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap())
    }

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &["frobnicate"][..],
            &[],
            &["install", "--json"],
            &["install", "--path"],
            &["status", "aarch64"],
            &["export", "aarch64"],
            &["export", "--systemd", "/a", "--debian", "/b"],
        ] {
            let (code, _, err) = run_args(args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert!(err.contains("usage:"), "{err}");
        }
    }

    #[test]
    fn bad_values_exit_1_with_a_reason() {
        let (code, _, err) = run_args(&["install", "mips", "--dry-run"]);
        assert_eq!((code, err.contains("unknown architecture 'mips'")), (1, true), "{err}");
        let (code, _, err) = run_args(&["binfmt", "install", "--path", "remu", "--dry-run"]);
        assert_eq!((code, err.contains("relative")), (1, true), "{err}");
        let (code, _, err) = run_args(&["install", "x86_64"]);
        assert_eq!((code, err.contains("host architecture")), (1, true), "{err}");
    }

    #[test]
    fn help_prints_usage() {
        let (code, out, _) = run_args(&["--help"]);
        assert_eq!(code, 0);
        assert!(out.contains("remu binfmt <command>"));
    }
}
