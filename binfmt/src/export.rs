//! `remu binfmt export`: files that make the registration survive reboots, for the two usual
//! mechanisms. systemd-binfmt reads binfmt.d(5) files whose lines are register lines verbatim.
//! Debian's binfmt-support imports one key/value file per format (update-binfmts(8), --import);
//! it has no separate O flag (only `credentials`, which implies it), so its entries are `PF`,
//! or `POCF` with --credential: remu then opens the binary by path instead of AT_EXECFD.

use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::entry::{escape, EntrySpec};
use crate::error::{Error, Result};

/// The text of `remu-<arch>.conf` for /etc/binfmt.d.
pub fn systemd_conf(spec: &EntrySpec) -> Result<Vec<u8>> {
    let mut text = format!(
        "# {}: run {} Linux programs with remu. Written by `remu binfmt export --systemd`.\n\
         # Install in /etc/binfmt.d/ and run `systemctl restart systemd-binfmt`.\n",
        spec.name,
        spec.name.trim_start_matches("remu-")
    )
    .into_bytes();
    text.extend_from_slice(&spec.register_line()?);
    text.push(b'\n');
    Ok(text)
}

/// The binfmt-support import file for `spec`.
pub fn debian_format(spec: &EntrySpec) -> Vec<u8> {
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let mut text = b"package remu\ninterpreter ".to_vec();
    text.extend_from_slice(spec.interpreter.as_os_str().as_bytes());
    text.extend_from_slice(
        format!(
            "\nmagic {}\nmask {}\noffset {}\ncredentials {}\npreserve {}\nfix_binary {}\n",
            escape(&spec.magic),
            escape(&spec.mask),
            spec.offset,
            yes_no(spec.flags.credentials),
            yes_no(spec.flags.preserve_argv0),
            yes_no(spec.flags.fix_binary)
        )
        .as_bytes(),
    );
    text
}

/// Which export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Systemd,
    Debian,
}

/// Writes one file per entry into `dir` (created if missing); returns the paths written.
pub fn export(format: Format, dir: &Path, specs: &[EntrySpec], out: &mut dyn Write) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io("creating", dir, &e))?;
    let mut files = Vec::new();
    for spec in specs {
        let (path, text) = match format {
            Format::Systemd => (dir.join(format!("{}.conf", spec.name)), systemd_conf(spec)?),
            Format::Debian => (dir.join(&spec.name), debian_format(spec)),
        };
        std::fs::write(&path, text).map_err(|e| Error::io("writing", &path, &e))?;
        let _ = writeln!(out, "wrote {}", path.display());
        files.push(path);
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Arch, Flags};

    #[test]
    fn systemd_file_ends_with_the_register_line() {
        let spec = EntrySpec::remu(Arch::Riscv64, "/usr/bin/remu".into(), Flags::remu(false, true));
        let text = String::from_utf8(systemd_conf(&spec).unwrap()).unwrap();
        let last = text.lines().last().unwrap();
        assert!(last.starts_with(":remu-riscv64:M:0:\\x7f\\x45\\x4c\\x46"), "{last}");
        assert!(last.ends_with("\\xf3\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/remu:POF"), "{last}");
        assert!(text.lines().filter(|l| !l.starts_with('#')).count() == 1);
    }

    #[test]
    fn debian_file_has_the_binfmt_support_keys() {
        let spec = EntrySpec::remu(Arch::Aarch64, "/usr/bin/remu".into(), Flags::remu(true, true));
        let text = String::from_utf8(debian_format(&spec)).unwrap();
        assert_eq!(
            text,
            "package remu\ninterpreter /usr/bin/remu\n\
             magic \\x7f\\x45\\x4c\\x46\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00\n\
             mask \\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff\n\
             offset 0\ncredentials yes\npreserve yes\nfix_binary yes\n"
        );
    }
}
