//! `remu binfmt install` and `uninstall`: validate everything first, then change the kernel's
//! table, and undo this run's changes if a later step fails, so nothing is left half-registered.
//!
//! Ownership is by name: remu touches only `remu-<arch>`. Other entries matching the same files
//! (qemu's, typically) are reported, never altered. The kernel searches its entries newest
//! first, so the entry registered last wins; remu says so instead of guessing from read-backs,
//! which carry no registration order.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::arch::Arch;
use crate::elf::program_interpreter;
use crate::entry::{EntrySpec, EntryState, Flags, Rule};
use crate::error::{Error, Result};
use crate::fs::BinfmtFs;

/// What `install` was asked to do.
#[derive(Debug, Clone)]
pub struct InstallOptions {
    pub archs: Vec<Arch>,
    pub interpreter: PathBuf,
    pub credential: bool,
    pub fix_binary: bool,
    pub replace: bool,
    pub dry_run: bool,
}

/// Checks the interpreter and builds the entries; shared by install and export.
pub fn specs(
    archs: &[Arch],
    interpreter: &Path,
    credential: bool,
    fix_binary: bool,
) -> Result<Vec<EntrySpec>> {
    check_interpreter(interpreter, fix_binary)?;
    let flags = Flags::remu(credential, fix_binary);
    let specs: Vec<EntrySpec> =
        archs.iter().map(|&a| EntrySpec::remu(a, interpreter.to_path_buf(), flags)).collect();
    for s in &specs {
        s.register_line()?;
    }
    Ok(specs)
}

/// The interpreter must be an absolute path to an executable file; with F it must also be
/// static, because the kernel will start it in chroots and containers that lack its loader.
pub fn check_interpreter(path: &Path, fix_binary: bool) -> Result<()> {
    if !path.is_absolute() {
        return Err(Error::new(format!(
            "interpreter path '{}' is relative; binfmt_misc needs an absolute path",
            path.display()
        )));
    }
    let meta = std::fs::metadata(path).map_err(|e| Error::io("checking interpreter", path, &e))?;
    if !meta.is_file() || meta.permissions().mode() & 0o111 == 0 {
        return Err(Error::new(format!("interpreter {} is not an executable file", path.display())));
    }
    if fix_binary {
        if let Some(loader) = program_interpreter(path)? {
            return Err(Error::new(format!(
                "interpreter {} is dynamically linked (PT_INTERP {loader}), but the F flag makes the \
                 kernel run it inside chroots and containers where that loader may be missing. Build \
                 a static remu with scripts/build-static.sh and pass it with --path, or register \
                 without F using --no-fix-binary",
                path.display()
            )));
        }
    }
    Ok(())
}

/// Enabled entries, other than `name`, that match some file `rule` matches.
pub fn conflicts<'a>(name: &str, rule: &Rule, entries: &'a [EntryState]) -> Vec<&'a EntryState> {
    entries.iter().filter(|e| e.name != name && e.enabled && e.rule.overlaps(rule)).collect()
}

enum Action {
    Add(EntrySpec),
    Replace(EntrySpec, EntryState),
    Enable(EntrySpec),
    Keep(EntrySpec),
}

/// Registers remu's entries. Messages go to `err`, the summary to `out`.
pub fn install(fs: &BinfmtFs, opts: &InstallOptions, out: &mut dyn Write, err: &mut dyn Write) -> Result<()> {
    let specs = specs(&opts.archs, &opts.interpreter, opts.credential, opts.fix_binary)?;
    if opts.dry_run {
        for s in &specs {
            let mut line = s.register_line()?;
            line.push(b'\n');
            out.write_all(&line).map_err(|e| Error::new(format!("writing output: {e}")))?;
        }
        return Ok(());
    }
    if fs.ensure_mounted()? {
        note(err, &format!("mounted binfmt_misc at {} (left mounted)", fs.dir.display()));
    }
    let before = fs.entries()?;
    let mut actions = Vec::new();
    let mut differing = Vec::new();
    for spec in specs {
        match before.iter().find(|e| e.name == spec.name) {
            None => actions.push(Action::Add(spec)),
            Some(old) if opts.replace => actions.push(Action::Replace(spec, old.clone())),
            Some(old) if spec.is_registered_as(&EntryState { enabled: true, ..old.clone() }) => {
                actions.push(if old.enabled { Action::Keep(spec) } else { Action::Enable(spec) })
            }
            Some(old) => differing.push(format!(
                "{} is already registered differently (interpreter {}, flags {}{})",
                old.name,
                old.interpreter_display(),
                old.flags,
                if old.enabled { "" } else { ", disabled" }
            )),
        }
    }
    if !differing.is_empty() {
        return Err(Error::new(format!(
            "{}; pass --replace to register interpreter {} with flags {} instead",
            differing.join("; "),
            opts.interpreter.display(),
            Flags::remu(opts.credential, opts.fix_binary)
        )));
    }

    let mut done: Vec<&Action> = Vec::new();
    for action in &actions {
        if let Err(e) = apply(fs, action) {
            let mut msg = e.0;
            for undo in done.iter().rev() {
                if let Err(u) = revert(fs, undo) {
                    msg.push_str(&format!("; undoing failed too: {u}"));
                }
            }
            return Err(Error::new(msg));
        }
        done.push(action);
    }

    let after = fs.entries()?;
    for action in &actions {
        let (spec, verb) = match action {
            Action::Add(s) => (s, "installed"),
            Action::Replace(s, _) => (s, "replaced"),
            Action::Enable(s) => (s, "enabled"),
            Action::Keep(s) => (s, "already installed"),
        };
        let line = format!(
            "{}: {verb} (interpreter {}, flags {})\n",
            spec.name,
            spec.interpreter.display(),
            spec.flags
        );
        out.write_all(line.as_bytes()).map_err(|e| Error::new(format!("writing output: {e}")))?;
        for other in conflicts(&spec.name, &spec.rule(), &after) {
            let winner = if matches!(action, Action::Keep(_)) {
                format!(
                    "the most recently registered of the two wins, and binfmt_misc does not say which \
                     that is; `remu binfmt install --replace` makes {} the newest",
                    spec.name
                )
            } else {
                format!("{} wins, being the most recently registered", spec.name)
            };
            note(
                err,
                &format!(
                    "warning: {} (interpreter {}) also matches the files {} matches; {winner}",
                    other.name,
                    other.interpreter_display(),
                    spec.name
                ),
            );
        }
    }
    Ok(())
}

fn apply(fs: &BinfmtFs, action: &Action) -> Result<()> {
    match action {
        Action::Add(spec) => register_checked(fs, spec),
        Action::Replace(spec, old) => {
            fs.remove(&old.name)?;
            register_checked(fs, spec).inspect_err(|_| {
                let _ = restore(fs, old);
            })
        }
        Action::Enable(spec) => fs.set_enabled(&spec.name, true),
        Action::Keep(_) => Ok(()),
    }
}

fn revert(fs: &BinfmtFs, action: &Action) -> Result<()> {
    match action {
        Action::Add(spec) => fs.remove(&spec.name),
        Action::Replace(spec, old) => {
            fs.remove(&spec.name)?;
            restore(fs, old)
        }
        Action::Enable(spec) => fs.set_enabled(&spec.name, false),
        Action::Keep(_) => Ok(()),
    }
}

/// Registers `spec` and confirms the kernel's read-back is exactly it.
fn register_checked(fs: &BinfmtFs, spec: &EntrySpec) -> Result<()> {
    fs.register(&spec.name, &spec.register_line()?)?;
    match fs.entry(&spec.name)? {
        Some(state) if spec.is_registered_as(&state) => Ok(()),
        other => {
            let _ = fs.remove(&spec.name);
            Err(Error::new(format!(
                "{}: the kernel's read-back differs from what was registered: {:?}",
                spec.name, other
            )))
        }
    }
}

/// Re-registers an entry that was replaced, as it was read back.
fn restore(fs: &BinfmtFs, old: &EntryState) -> Result<()> {
    let Rule::Magic { offset, magic, mask } = &old.rule else {
        return Err(Error::new(format!("cannot restore extension entry {}", old.name)));
    };
    let spec = EntrySpec {
        name: old.name.clone(),
        offset: *offset,
        magic: magic.clone(),
        mask: mask.clone().unwrap_or_default(),
        interpreter: old.interpreter.clone(),
        flags: old.flags,
    };
    fs.register(&old.name, &spec.register_line()?)?;
    if !old.enabled {
        fs.set_enabled(&old.name, false)?;
    }
    Ok(())
}

/// Removes remu's entries for `archs`; other entries are never touched.
pub fn uninstall(
    fs: &BinfmtFs,
    archs: &[Arch],
    dry_run: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<()> {
    if !fs.is_mounted() {
        note(err, &format!("binfmt_misc is not mounted at {}: no remu entry to remove", fs.dir.display()));
        return Ok(());
    }
    for arch in archs {
        let name = arch.entry_name();
        let msg = match fs.entry(&name)? {
            None => format!("{name}: not installed\n"),
            Some(_) if dry_run => format!("{name}: would be removed\n"),
            Some(_) => {
                fs.remove(&name)?;
                format!("{name}: removed\n")
            }
        };
        out.write_all(msg.as_bytes()).map_err(|e| Error::new(format!("writing output: {e}")))?;
    }
    Ok(())
}

fn note(err: &mut dyn Write, msg: &str) {
    let _ = writeln!(err, "remu binfmt: {msg}");
}
