//! The guest architectures remu registers with binfmt_misc, their names on the command line,
//! and the ELF header window (magic and mask) that selects them.
//!
//! The window is the first 20 bytes of an ELF header, as qemu registers it: `\x7fELF`, class 64,
//! little endian, EI_VERSION 1, any OSABI (masked out), ABI version and padding zero, e_type
//! ET_EXEC or ET_DYN (the mask's low bit of e_type is clear, so 2 and 3 both match), e_machine.
//! Using exactly qemu's window means a remu entry and a qemu entry conflict predictably: both
//! match the same files, and the kernel picks the most recently registered one.

use crate::error::{Error, Result};

/// A guest architecture remu can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arch {
    Aarch64,
    Riscv64,
}

/// e_machine values from the ELF psABIs.
const EM_AARCH64: u16 = 183;
const EM_RISCV: u16 = 243;

/// Length of the matched ELF header window.
pub const MAGIC_LEN: usize = 20;

/// Names that mean the machine remu itself runs on, refused by install.
const HOST_NAMES: &[&str] = &["x86_64", "amd64", "linux/amd64", "x86-64", "i386", "386", "linux/386"];

impl Arch {
    /// Every architecture, in the order entries are listed and installed.
    pub const ALL: [Arch; 2] = [Arch::Aarch64, Arch::Riscv64];

    /// The name used in entry names (`remu-<name>`) and export file names.
    pub fn name(self) -> &'static str {
        match self {
            Arch::Aarch64 => "aarch64",
            Arch::Riscv64 => "riscv64",
        }
    }

    /// The OCI platform string, as tonistiigi/binfmt reports it in `supported`.
    pub fn platform(self) -> &'static str {
        match self {
            Arch::Aarch64 => "linux/arm64",
            Arch::Riscv64 => "linux/riscv64",
        }
    }

    /// The binfmt_misc entry name remu owns for this architecture.
    pub fn entry_name(self) -> String {
        format!("remu-{}", self.name())
    }

    pub fn e_machine(self) -> u16 {
        match self {
            Arch::Aarch64 => EM_AARCH64,
            Arch::Riscv64 => EM_RISCV,
        }
    }

    /// The magic bytes at offset 0 (already reduced by the mask, so magic & mask == magic).
    pub fn magic(self) -> [u8; MAGIC_LEN] {
        let m = self.e_machine().to_le_bytes();
        [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, m[0], m[1]]
    }

    /// The mask: OSABI ignored, e_type bit 0 ignored (ET_EXEC 2 and ET_DYN 3), all else exact.
    pub fn mask(self) -> [u8; MAGIC_LEN] {
        [
            0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            0xfe, 0xff, 0xff, 0xff,
        ]
    }

    /// True when this is the machine remu runs on, which needs no emulator.
    pub fn is_host(self) -> bool {
        std::env::consts::ARCH == self.name()
    }

    /// Parses one command-line name: `aarch64`, `arm64`, `linux/arm64`, `riscv64`, `linux/riscv64`.
    pub fn parse(name: &str) -> Result<Arch> {
        match name.to_ascii_lowercase().as_str() {
            "aarch64" | "arm64" | "linux/arm64" | "linux/aarch64" | "linux/arm64/v8" => Ok(Arch::Aarch64),
            "riscv64" | "linux/riscv64" => Ok(Arch::Riscv64),
            lower if HOST_NAMES.contains(&lower) => Err(Error::new(format!(
                "'{name}' is the host architecture: it runs natively and needs no binfmt_misc entry"
            ))),
            _ => Err(Error::new(format!(
                "unknown architecture '{name}' (accepted: aarch64, arm64, linux/arm64, riscv64, \
                 linux/riscv64, all)"
            ))),
        }
    }
}

/// Parses the architecture arguments of install/uninstall/export; none means `all`.
/// Duplicates collapse; the host architecture is refused (it cannot come from `all`).
pub fn parse_list(names: &[String]) -> Result<Vec<Arch>> {
    let mut out = Vec::new();
    if names.is_empty() {
        out.extend(Arch::ALL);
    }
    for name in names {
        if name.eq_ignore_ascii_case("all") {
            out.extend(Arch::ALL);
        } else {
            out.push(Arch::parse(name)?);
        }
    }
    out.sort();
    out.dedup();
    if let Some(host) = out.iter().find(|a| a.is_host()) {
        return Err(Error::new(format!(
            "'{}' is the host architecture: it runs natively and needs no binfmt_misc entry",
            host.name()
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_aliases() {
        for (name, arch) in [
            ("aarch64", Arch::Aarch64),
            ("ARM64", Arch::Aarch64),
            ("linux/arm64", Arch::Aarch64),
            ("riscv64", Arch::Riscv64),
            ("linux/riscv64", Arch::Riscv64),
        ] {
            assert_eq!(Arch::parse(name), Ok(arch), "{name}");
        }
        let all = vec![Arch::Aarch64, Arch::Riscv64];
        assert_eq!(parse_list(&[]).unwrap(), all);
        assert_eq!(parse_list(&["all".into(), "arm64".into()]).unwrap(), all);
    }

    #[test]
    fn bad_names_are_errors() {
        let err = Arch::parse("mips").unwrap_err();
        assert!(err.0.contains("unknown architecture 'mips'"), "{err}");
        let err = parse_list(&["aarch64".into(), "x86_64".into()]).unwrap_err();
        assert!(err.0.contains("host architecture"), "{err}");
        assert!(Arch::parse("riscv32").is_err());
    }

    #[test]
    fn magic_is_premasked_and_names_the_machine() {
        for arch in Arch::ALL {
            let (magic, mask) = (arch.magic(), arch.mask());
            assert!(magic.iter().zip(mask).all(|(m, k)| m & !k == 0));
            assert_eq!(u16::from_le_bytes([magic[18], magic[19]]), arch.e_machine());
        }
        assert_eq!(Arch::Aarch64.entry_name(), "remu-aarch64");
    }
}
