//! `--strace` line formatting.

use emu_core::Arch;
use remu_syscalls::strace::format_call;
use remu_syscalls::table::lookup;
use remu_syscalls::Errno;

const AT_FDCWD: u64 = -100i64 as u64;

fn fmt(arch: Arch, nr: u64, args: [u64; 6], res: Option<Result<u64, Errno>>) -> String {
    format_call(arch, lookup(nr).unwrap(), &args, res)
}

#[test]
fn openat_with_symbolic_flags() {
    let p = c"/etc/passwd";
    // O_RDONLY|O_CLOEXEC
    let args = [AT_FDCWD, p.as_ptr() as u64, 0o2000000, 0, 0, 0];
    assert_eq!(
        fmt(Arch::Aarch64, 56, args, Some(Ok(3))),
        r#"openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC, 0) = 3"#
    );
    let args = [AT_FDCWD, p.as_ptr() as u64, 0o1 | 0o100 | 0o1000, 0o644, 0, 0];
    assert_eq!(
        fmt(Arch::Riscv64, 56, args, Some(Err(Errno::ENOENT))),
        r#"openat(AT_FDCWD, "/etc/passwd", O_WRONLY|O_CREAT|O_TRUNC, 0644) = -1 ENOENT (No such file or directory)"#
    );
    // aarch64's O_DIRECTORY bit (0o40000) is shown by name, not as O_DIRECT.
    let args = [5, p.as_ptr() as u64, 0o40000, 0, 0, 0];
    assert_eq!(
        fmt(Arch::Aarch64, 56, args, Some(Ok(4))),
        r#"openat(5, "/etc/passwd", O_RDONLY|O_DIRECTORY, 0) = 4"#
    );
}

#[test]
fn write_and_read_buffers_are_quoted_and_truncated() {
    let msg = b"hello\n\"world\"\t\x01";
    let args = [1, msg.as_ptr() as u64, msg.len() as u64, 0, 0, 0];
    assert_eq!(
        fmt(Arch::Aarch64, 64, args, Some(Ok(msg.len() as u64))),
        r#"write(1, "hello\n\"world\"\t\1", 15) = 15"#
    );
    // An escape followed by a digit is padded so it cannot be misread.
    let bin = [0x1eu8, b'7', 0xff];
    let args = [1, bin.as_ptr() as u64, 3, 0, 0, 0];
    assert_eq!(fmt(Arch::Aarch64, 64, args, Some(Ok(3))), r#"write(1, "\0367\377", 3) = 3"#);
    let long = [b'a'; 100];
    let args = [1, long.as_ptr() as u64, 100, 0, 0, 0];
    let line = fmt(Arch::Aarch64, 64, args, Some(Ok(100)));
    assert_eq!(line, format!("write(1, \"{}\"..., 100) = 100", "a".repeat(32)));
    // read shows what was read (the return value's worth), only on success.
    let got = b"abc";
    let args = [0, got.as_ptr() as u64, 4096, 0, 0, 0];
    assert_eq!(fmt(Arch::Aarch64, 63, args, Some(Ok(3))), r#"read(0, "abc", 4096) = 3"#);
    assert_eq!(
        fmt(Arch::Aarch64, 63, args, Some(Err(Errno::EAGAIN))),
        format!("read(0, {:#x}, 4096) = -1 EAGAIN (Resource temporarily unavailable)", got.as_ptr() as u64)
    );
}

#[test]
fn mmap_exit_and_signals() {
    let args = [0, 8192, 3, 0x22, -1i64 as u64, 0];
    assert_eq!(
        fmt(Arch::Aarch64, 222, args, Some(Ok(0x7f00_0000_0000))),
        "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f0000000000"
    );
    assert_eq!(fmt(Arch::Riscv64, 94, [3, 0, 0, 0, 0, 0], None), "exit_group(3) = ?");
    assert_eq!(fmt(Arch::Riscv64, 131, [10, 11, 6, 0, 0, 0], Some(Ok(0))), "tgkill(10, 11, SIGABRT) = 0");
    // A bad string pointer prints as a pointer instead of faulting.
    assert_eq!(
        fmt(Arch::Aarch64, 56, [AT_FDCWD, 16, 0, 0, 0, 0], Some(Err(Errno::EFAULT))),
        "openat(AT_FDCWD, 0x10, O_RDONLY, 0) = -1 EFAULT (Bad address)"
    );
}
