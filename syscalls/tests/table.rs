//! The syscall table against asm-generic unistd.h: numbers, names, uniqueness.

use std::collections::HashSet;

use remu_syscalls::table::{generic_name, lookup, TABLE};

/// Hard-coded from include/uapi/asm-generic/unistd.h for a cross-section of the implemented calls.
const EXPECTED: &[(u32, &str)] = &[
    (17, "getcwd"),
    (22, "epoll_pwait"),
    (25, "fcntl"),
    (29, "ioctl"),
    (35, "unlinkat"),
    (48, "faccessat"),
    (56, "openat"),
    (57, "close"),
    (59, "pipe2"),
    (61, "getdents64"),
    (62, "lseek"),
    (63, "read"),
    (64, "write"),
    (66, "writev"),
    (73, "ppoll"),
    (78, "readlinkat"),
    (79, "newfstatat"),
    (80, "fstat"),
    (93, "exit"),
    (94, "exit_group"),
    (96, "set_tid_address"),
    (98, "futex"),
    (99, "set_robust_list"),
    (113, "clock_gettime"),
    (129, "kill"),
    (131, "tgkill"),
    (134, "rt_sigaction"),
    (135, "rt_sigprocmask"),
    (139, "rt_sigreturn"),
    (160, "uname"),
    (167, "prctl"),
    (172, "getpid"),
    (178, "gettid"),
    (198, "socket"),
    (214, "brk"),
    (215, "munmap"),
    (220, "clone"),
    (222, "mmap"),
    (226, "mprotect"),
    (233, "madvise"),
    (260, "wait4"),
    (261, "prlimit64"),
    (276, "renameat2"),
    (278, "getrandom"),
    (291, "statx"),
    (293, "rseq"),
    (436, "close_range"),
    (439, "faccessat2"),
];

#[test]
fn numbers_and_names_are_unique_and_sorted() {
    let mut nrs = HashSet::new();
    let mut names = HashSet::new();
    for r in TABLE {
        assert!(nrs.insert(r.nr), "duplicate number {}", r.nr);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        assert!(r.args.len() <= 6, "{} has more than six arguments", r.name);
    }
    assert!(TABLE.windows(2).all(|w| w[0].nr < w[1].nr), "table not sorted by number");
}

#[test]
fn every_row_matches_the_generic_name() {
    for r in TABLE {
        assert_eq!(generic_name(r.nr as u64), Some(r.name), "row {} has number {}", r.name, r.nr);
    }
}

#[test]
fn expected_numbers_from_the_header() {
    for &(nr, name) in EXPECTED {
        let row = lookup(nr as u64).unwrap_or_else(|| panic!("{name} ({nr}) missing"));
        assert_eq!(row.name, name);
    }
    // Names of unimplemented calls, for the "unsupported" log line.
    assert_eq!(generic_name(221), Some("execve"));
    assert_eq!(generic_name(435), Some("clone3"));
    assert_eq!(generic_name(258), Some("riscv_hwprobe"));
    assert_eq!(generic_name(250), None);
    assert_eq!(generic_name(100_000), None);
}
