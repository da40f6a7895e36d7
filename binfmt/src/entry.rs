//! One binfmt_misc entry: the register line remu writes, the state the kernel reads back, and
//! the kernel's matching rule, so install can compare, detect conflicts and explain them.
//!
//! Formats follow Documentation/admin-guide/binfmt-misc.rst and fs/binfmt_misc.c: an entry file
//! reads `enabled|disabled`, `interpreter <path>`, `flags: <P><O><C><F>`, then either
//! `offset <n>`, `magic <hex>` and optionally `mask <hex>`, or `extension .<ext>`. The kernel
//! keeps the magic as written (it does not pre-mask it) and compares `(byte ^ magic) & mask`.

use std::ffi::OsStr;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use crate::arch::Arch;
use crate::error::{Error, Result};

/// The entry flags, in the order the kernel prints them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// P: pass the original argv[0] (and set AT_FLAGS_PRESERVE_ARGV0).
    pub preserve_argv0: bool,
    /// O: the kernel opens the binary and passes it as AT_EXECFD.
    pub open_binary: bool,
    /// C: credentials (setuid bits) come from the binary; implies O.
    pub credentials: bool,
    /// F: the interpreter is opened at registration, so it need not exist in chroots.
    pub fix_binary: bool,
}

impl Flags {
    /// remu's default, `POF`, or `POCF` with `credential`; `fix_binary` false drops F.
    pub fn remu(credential: bool, fix_binary: bool) -> Flags {
        Flags { preserve_argv0: true, open_binary: true, credentials: credential, fix_binary }
    }

    /// Parses the letters of a register line or a `flags:` read-back line. C implies O, as in
    /// the kernel. Unknown letters are an error (the kernel would stop parsing there).
    pub fn parse(letters: &str) -> Result<Flags> {
        let mut f = Flags::default();
        for c in letters.trim().chars() {
            match c {
                'P' => f.preserve_argv0 = true,
                'O' => f.open_binary = true,
                'C' => {
                    f.credentials = true;
                    f.open_binary = true;
                }
                'F' => f.fix_binary = true,
                _ => return Err(Error::new(format!("unknown binfmt_misc flag '{c}' in '{letters}'"))),
            }
        }
        Ok(f)
    }
}

impl std::fmt::Display for Flags {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (on, c) in [
            (self.preserve_argv0, 'P'),
            (self.open_binary, 'O'),
            (self.credentials, 'C'),
            (self.fix_binary, 'F'),
        ] {
            if on {
                write!(f, "{c}")?;
            }
        }
        Ok(())
    }
}

/// An entry remu wants registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySpec {
    pub name: String,
    pub offset: usize,
    pub magic: Vec<u8>,
    /// Empty for an exact match (the kernel's "no mask").
    pub mask: Vec<u8>,
    pub interpreter: PathBuf,
    pub flags: Flags,
}

/// Characters the register line may use as its delimiter; the first one absent from every
/// field wins, so an interpreter path containing ':' still registers correctly.
const DELIMITERS: &[u8] = b":|#,;!@%";

/// The kernel rejects register writes longer than this (MAX_REGISTER_LENGTH).
const MAX_REGISTER_LENGTH: usize = 1920;

impl EntrySpec {
    /// remu's entry for `arch` with interpreter `interpreter`.
    pub fn remu(arch: Arch, interpreter: PathBuf, flags: Flags) -> EntrySpec {
        EntrySpec {
            name: arch.entry_name(),
            offset: 0,
            magic: arch.magic().to_vec(),
            mask: arch.mask().to_vec(),
            interpreter,
            flags,
        }
    }

    /// The exact bytes to write to `register` (no trailing newline: the kernel takes one write
    /// per entry and a newline would be harmless, but binfmt.d files add their own).
    pub fn register_line(&self) -> Result<Vec<u8>> {
        let interp = self.interpreter.as_os_str().as_bytes();
        if interp.contains(&b'\n') || interp.contains(&0) {
            return Err(Error::new(format!(
                "interpreter path {:?} contains a newline or NUL, which binfmt_misc cannot register",
                self.interpreter
            )));
        }
        // Magic and mask are written fully \x-escaped, so only the name and interpreter can
        // clash with the delimiter; '\\', 'x' and hex digits are never candidates.
        let del = DELIMITERS
            .iter()
            .copied()
            .find(|d| !interp.contains(d) && !self.name.as_bytes().contains(d))
            .ok_or_else(|| {
                Error::new(format!("interpreter path {:?} uses every usable delimiter", self.interpreter))
            })?;
        let mut line = Vec::new();
        line.push(del);
        line.extend_from_slice(self.name.as_bytes());
        line.push(del);
        line.push(b'M');
        line.push(del);
        line.extend_from_slice(self.offset.to_string().as_bytes());
        line.push(del);
        line.extend_from_slice(escape(&self.magic).as_bytes());
        line.push(del);
        line.extend_from_slice(escape(&self.mask).as_bytes());
        line.push(del);
        line.extend_from_slice(interp);
        line.push(del);
        line.extend_from_slice(self.flags.to_string().as_bytes());
        if line.len() > MAX_REGISTER_LENGTH {
            return Err(Error::new(format!(
                "register line for {} is {} bytes, over the kernel's limit of {MAX_REGISTER_LENGTH}",
                self.name,
                line.len()
            )));
        }
        Ok(line)
    }

    /// True when the kernel's read-back of `state` is exactly this entry, enabled.
    pub fn is_registered_as(&self, state: &EntryState) -> bool {
        state.enabled
            && state.name == self.name
            && state.interpreter == self.interpreter
            && state.flags == self.flags
            && state.rule == self.rule()
    }

    /// The matching rule of this spec, for conflict checks before it is registered.
    pub fn rule(&self) -> Rule {
        let mask = (!self.mask.is_empty()).then(|| self.mask.clone());
        Rule::Magic { offset: self.offset, magic: self.magic.clone(), mask }
    }
}

/// `\xHH` for every byte: unambiguous, and never contains a delimiter candidate.
pub fn escape(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("\\x{b:02x}")).collect()
}

/// How an entry recognises files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Magic { offset: usize, magic: Vec<u8>, mask: Option<Vec<u8>> },
    Extension(String),
}

impl Rule {
    /// The kernel's test on the first bytes of a file (its BINPRM_BUF_SIZE header buffer).
    pub fn matches(&self, header: &[u8]) -> bool {
        let Rule::Magic { offset, magic, mask } = self else { return false };
        let Some(window) = header.get(*offset..offset + magic.len()) else { return false };
        window.iter().enumerate().all(|(i, &b)| {
            let k = mask.as_ref().map_or(0xff, |m| m.get(i).copied().unwrap_or(0xff));
            (b ^ magic[i]) & k == 0
        })
    }

    /// True when some file content matches both rules: on every byte both rules constrain,
    /// the bits both masks keep must agree. Extension rules never collide with magic rules.
    pub fn overlaps(&self, other: &Rule) -> bool {
        match (self, other) {
            (Rule::Extension(a), Rule::Extension(b)) => a == b,
            (Rule::Magic { .. }, Rule::Extension(_)) | (Rule::Extension(_), Rule::Magic { .. }) => false,
            (
                Rule::Magic { offset: oa, magic: ma, mask: ka },
                Rule::Magic { offset: ob, magic: mb, mask: kb },
            ) => {
                let byte = |off: usize, m: &[u8], k: &Option<Vec<u8>>, pos: usize| {
                    let i = pos.checked_sub(off).filter(|&i| i < m.len())?;
                    let k = k.as_ref().map_or(0xff, |k| k.get(i).copied().unwrap_or(0xff));
                    Some((m[i] & k, k))
                };
                let end = (oa + ma.len()).max(ob + mb.len());
                (0..end).all(|pos| match (byte(*oa, ma, ka, pos), byte(*ob, mb, kb, pos)) {
                    (Some((va, ka)), Some((vb, kb))) => (va ^ vb) & ka & kb == 0,
                    _ => true,
                })
            }
        }
    }
}

/// An entry as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryState {
    pub name: String,
    pub enabled: bool,
    pub interpreter: PathBuf,
    pub flags: Flags,
    pub rule: Rule,
}

impl EntryState {
    /// Parses the content of `/proc/sys/fs/binfmt_misc/<name>`.
    pub fn parse(name: &str, text: &[u8]) -> Result<EntryState> {
        let bad = |why: &str| Error::new(format!("binfmt_misc entry {name}: {why}"));
        let mut enabled = None;
        let mut interpreter = None;
        let mut flags = Flags::default();
        let (mut offset, mut magic, mut mask, mut extension) = (0, None, None, None);
        for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let (key, value) = match line.iter().position(|&b| b == b' ') {
                Some(i) => (&line[..i], &line[i + 1..]),
                None => (line, &line[line.len()..]),
            };
            let value_str = || std::str::from_utf8(value).map_err(|_| bad("non-UTF-8 field"));
            match key {
                b"enabled" => enabled = Some(true),
                b"disabled" => enabled = Some(false),
                b"interpreter" => interpreter = Some(PathBuf::from(OsStr::from_bytes(value))),
                b"flags:" => flags = Flags::parse(value_str()?)?,
                b"offset" => offset = value_str()?.trim().parse().map_err(|_| bad("bad offset"))?,
                b"magic" => magic = Some(unhex(value_str()?).ok_or_else(|| bad("bad magic hex"))?),
                b"mask" => mask = Some(unhex(value_str()?).ok_or_else(|| bad("bad mask hex"))?),
                b"extension" => {
                    extension = Some(value_str()?.trim_start_matches('.').to_string());
                }
                _ => {} // newer kernels may add lines; they do not change what we compare
            }
        }
        let rule = match (magic, extension) {
            (Some(magic), _) => Rule::Magic { offset, magic, mask },
            (None, Some(ext)) => Rule::Extension(ext),
            (None, None) => return Err(bad("neither magic nor extension")),
        };
        Ok(EntryState {
            name: name.to_string(),
            enabled: enabled.ok_or_else(|| bad("no enabled/disabled line"))?,
            interpreter: interpreter.ok_or_else(|| bad("no interpreter line"))?,
            flags,
            rule,
        })
    }

    /// The read-back text the kernel would produce for this state, byte for byte.
    pub fn to_text(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(if self.enabled { b"enabled\n" } else { b"disabled\n" });
        out.extend_from_slice(b"interpreter ");
        out.extend_from_slice(self.interpreter.as_os_str().as_bytes());
        out.extend_from_slice(format!("\nflags: {}\n", self.flags).as_bytes());
        match &self.rule {
            Rule::Magic { offset, magic, mask } => {
                out.extend_from_slice(format!("offset {offset}\nmagic {}\n", hex(magic)).as_bytes());
                if let Some(mask) = mask {
                    out.extend_from_slice(format!("mask {}\n", hex(mask)).as_bytes());
                }
            }
            Rule::Extension(ext) => out.extend_from_slice(format!("extension .{ext}\n").as_bytes()),
        }
        out
    }

    /// The interpreter path as text for messages.
    pub fn interpreter_display(&self) -> String {
        String::from_utf8(self.interpreter.clone().into_os_string().into_vec())
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Lower-case hex, as the kernel prints magic and mask.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(arch: Arch) -> EntrySpec {
        EntrySpec::remu(arch, "/usr/bin/remu".into(), Flags::remu(false, true))
    }

    #[test]
    fn register_line_is_fully_escaped() {
        let line = String::from_utf8(spec(Arch::Aarch64).register_line().unwrap()).unwrap();
        assert_eq!(
            line,
            ":remu-aarch64:M:0:\\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\
             \\x00\\x00\\x02\\x00\\xb7\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\
             \\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/remu:POF"
        );
    }

    #[test]
    fn delimiter_avoids_the_path() {
        let mut s = spec(Arch::Riscv64);
        s.interpreter = "/opt/a:b/remu".into();
        let line = s.register_line().unwrap();
        assert_eq!(line[0], b'|');
        assert!(line.ends_with(b"|/opt/a:b/remu|POF"));
        s.interpreter = "/bad\npath".into();
        assert!(s.register_line().is_err());
    }

    #[test]
    fn flags_round_trip_in_kernel_order() {
        assert_eq!(Flags::remu(true, true).to_string(), "POCF");
        assert_eq!(Flags::parse("FCP").unwrap(), Flags::remu(true, true));
        assert!(Flags::parse("PX").is_err());
    }

    #[test]
    fn readback_parses_and_reprints() {
        let text = b"enabled\ninterpreter /usr/bin/remu\nflags: POF\noffset 0\n\
            magic 7f454c460201010000000000000000000200b700\n\
            mask ffffffffffffff00fffffffffffffffffeffffff\n";
        let state = EntryState::parse("remu-aarch64", text).unwrap();
        assert!(spec(Arch::Aarch64).is_registered_as(&state));
        assert!(!spec(Arch::Riscv64).is_registered_as(&state));
        assert_eq!(state.to_text(), text.to_vec());
        let ext =
            EntryState::parse("py", b"disabled\ninterpreter /usr/bin/python3\nflags: \nextension .pyc\n")
                .unwrap();
        assert_eq!(ext.rule, Rule::Extension("pyc".into()));
        assert!(EntryState::parse("x", b"enabled\n").is_err());
    }

    #[test]
    fn matching_follows_the_kernel_rule() {
        let rule = spec(Arch::Aarch64).rule();
        let mut hdr = Arch::Aarch64.magic().to_vec();
        assert!(rule.matches(&hdr));
        hdr[16] = 3; // ET_DYN
        assert!(rule.matches(&hdr));
        hdr[7] = 3; // OSABI GNU/Linux
        assert!(rule.matches(&hdr));
        hdr[16] = 1; // ET_REL
        assert!(!rule.matches(&hdr));
        assert!(!rule.matches(&hdr[..10]));
    }

    #[test]
    fn overlap_detects_qemu_style_entries_only() {
        let ours = spec(Arch::Aarch64).rule();
        let qemu_like =
            Rule::Magic { offset: 0, magic: Arch::Aarch64.magic().to_vec(), mask: Some(vec![0xff; 20]) };
        assert!(ours.overlaps(&qemu_like));
        assert!(!ours.overlaps(&spec(Arch::Riscv64).rule()));
        let elf_only = Rule::Magic { offset: 0, magic: b"\x7fELF".to_vec(), mask: None };
        assert!(ours.overlaps(&elf_only));
        let shifted = Rule::Magic { offset: 18, magic: vec![0xf3, 0x00], mask: None };
        assert!(!ours.overlaps(&shifted));
        assert!(!ours.overlaps(&Rule::Extension("exe".into())));
    }
}
