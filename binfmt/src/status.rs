//! `remu binfmt status`: remu's entries as the kernel reports them, the other entries that match
//! the same files, and a real probe per architecture. `--json` prints tonistiigi/binfmt's shape,
//! `{"supported": [...], "emulators": [...]}`, so tools that parse that output work unchanged.

use std::io::Write;

use crate::arch::Arch;
use crate::entry::EntryState;
use crate::error::{Error, Result};
use crate::fs::BinfmtFs;
use crate::install::conflicts;
use crate::probe::{probe, Outcome};

/// Everything status reports, gathered once.
#[derive(Debug)]
pub struct Report {
    pub mounted: bool,
    pub enabled: bool,
    pub entries: Vec<EntryState>,
    pub probes: Vec<(Arch, Outcome)>,
}

/// Reads the kernel's table and runs the probes. Changes nothing (binfmt_misc is not mounted
/// here when it is not already).
pub fn gather(fs: &BinfmtFs) -> Result<Report> {
    let mounted = fs.is_mounted();
    let (enabled, entries) =
        if mounted { (fs.globally_enabled()?, fs.entries()?) } else { (false, Vec::new()) };
    // Probe even when not mounted here: since Linux 6.7 a user namespace without its own
    // instance uses its parent's, so only running something tells the truth.
    let probes = Arch::ALL.iter().filter(|a| !a.is_host()).map(|&a| (a, probe(a))).collect();
    Ok(Report { mounted, enabled, entries, probes })
}

/// The platform remu runs on, in OCI notation.
fn host_platform() -> String {
    match std::env::consts::ARCH {
        "x86_64" => "linux/amd64".into(),
        "aarch64" => "linux/arm64".into(),
        other => format!("linux/{other}"),
    }
}

impl Report {
    /// tonistiigi/binfmt's JSON: `supported` is the host plus every architecture whose probe
    /// ran; `emulators` names every registered entry, remu's or not.
    pub fn to_json(&self) -> String {
        let mut supported = vec![host_platform()];
        supported.extend(
            self.probes.iter().filter(|(_, o)| *o == Outcome::Ran).map(|(a, _)| a.platform().to_string()),
        );
        let emulators: Vec<String> = self.entries.iter().map(|e| e.name.clone()).collect();
        format!(
            "{{\n  \"supported\": {},\n  \"emulators\": {}\n}}\n",
            json_list(&supported),
            json_list(&emulators)
        )
    }

    /// The human-readable report.
    pub fn to_text(&self, fs: &BinfmtFs) -> String {
        let mut s = String::new();
        if self.mounted {
            let state = if self.enabled { "enabled" } else { "DISABLED (echo 1 > status to enable)" };
            s += &format!("binfmt_misc: mounted at {}, {state}\n", fs.dir.display());
        } else {
            s += &format!(
                "binfmt_misc: not mounted at {} (remu binfmt install mounts it)\n",
                fs.dir.display()
            );
        }
        for (arch, outcome) in &self.probes {
            let name = arch.entry_name();
            match self.entries.iter().find(|e| e.name == name) {
                None => s += &format!("{name}: not installed\n"),
                Some(e) => {
                    s += &format!(
                        "{name}: {}, interpreter {}, flags {}\n",
                        if e.enabled { "enabled" } else { "disabled" },
                        e.interpreter_display(),
                        e.flags
                    );
                    if !e.interpreter.exists() {
                        s += &format!(
                            "  interpreter missing on disk{}\n",
                            if e.flags.fix_binary { " (the kernel still holds it open: F flag)" } else { "" }
                        );
                    }
                    for other in conflicts(&name, &e.rule, &self.entries) {
                        s += &format!(
                            "  conflict: {} (interpreter {}) matches the same files; the most recently \
                             registered entry wins\n",
                            other.name,
                            other.interpreter_display()
                        );
                    }
                }
            }
            s += &match outcome {
                Outcome::Ran => format!("  probe: a static {} program ran in an empty chroot\n", arch.name()),
                Outcome::Failed(why) => {
                    format!("  probe: a static {} program did not run: {why}\n", arch.name())
                }
            };
        }
        let others: Vec<&str> = self
            .entries
            .iter()
            .filter(|e| !Arch::ALL.iter().any(|a| a.entry_name() == e.name))
            .map(|e| e.name.as_str())
            .collect();
        if !others.is_empty() {
            s += &format!("other entries: {}\n", others.join(", "));
        }
        s
    }
}

/// Runs `status`, printing text or JSON to `out`.
pub fn status(fs: &BinfmtFs, json: bool, out: &mut dyn Write) -> Result<()> {
    let report = gather(fs)?;
    let text = if json { report.to_json() } else { report.to_text(fs) };
    out.write_all(text.as_bytes()).map_err(|e| Error::new(format!("writing output: {e}")))
}

fn json_list(items: &[String]) -> String {
    if items.is_empty() {
        return "[]".into();
    }
    let body: Vec<String> = items.iter().map(|i| format!("    {}", json_string(i))).collect();
    format!("[\n{}\n  ]", body.join(",\n"))
}

/// A JSON string literal (RFC 8259 escaping).
pub fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            '\r' => out += "\\r",
            '\t' => out += "\\t",
            c if (c as u32) < 0x20 => out += &format!("\\u{:04x}", c as u32),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_tonistiigi_shape() {
        let report = Report {
            mounted: true,
            enabled: true,
            entries: vec![EntryState::parse(
                "qemu-aarch64",
                b"enabled\ninterpreter /usr/bin/qemu-aarch64\nflags: F\noffset 0\nmagic 7f454c46\n",
            )
            .unwrap()],
            probes: vec![(Arch::Aarch64, Outcome::Ran), (Arch::Riscv64, Outcome::Failed("no".into()))],
        };
        assert_eq!(
            report.to_json(),
            "{\n  \"supported\": [\n    \"linux/amd64\",\n    \"linux/arm64\"\n  ],\n  \
             \"emulators\": [\n    \"qemu-aarch64\"\n  ]\n}\n"
        );
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\u{1}"), "\"a\\\"b\\\\c\\u0001\"");
    }
}
