//! The syscall table: one row per guest syscall remu implements, in asm-generic numbering
//! (include/uapi/asm-generic/unistd.h, shared by arm64 and riscv64). A row names the syscall,
//! gives its argument kinds for `--strace` and points at the handler in its family file.
//!
//! Numbers without a row return -ENOSYS and are logged once by [`crate::Linux::handle`];
//! [`generic_name`] knows every asm-generic name so that log line says which call it was.

use crate::strace::Arg::{self, *};
use crate::strace::Ret;
use crate::{exec, fd, fs, ioctl, mm, poll, process, riscv, signal, socket, time, Ctx, SysResult};

/// A syscall handler: arguments as the guest passed them, result or errno.
pub(crate) type Handler = fn(&mut Ctx<'_>, &[u64; 6]) -> SysResult;

/// One syscall.
pub struct Row {
    pub nr: u32,
    pub name: &'static str,
    pub args: &'static [Arg],
    pub ret: Ret,
    pub(crate) handler: Handler,
}

macro_rules! rows {
    ($($nr:literal $name:ident [$($arg:expr),*] $ret:ident => $h:path;)*) => {
        /// Every implemented syscall, sorted by number.
        pub static TABLE: &[Row] = &[
            $(Row { nr: $nr, name: stringify!($name), args: &[$($arg),*], ret: Ret::$ret, handler: $h },)*
        ];
    };
}

rows! {
    5 setxattr [Str, Str, Ptr, Long, Hex] Int => fs::setxattr;
    6 lsetxattr [Str, Str, Ptr, Long, Hex] Int => fs::lsetxattr;
    7 fsetxattr [Fd, Str, Ptr, Long, Hex] Int => fs::fsetxattr;
    8 getxattr [Str, Str, Ptr, Long] Int => fs::getxattr;
    9 lgetxattr [Str, Str, Ptr, Long] Int => fs::lgetxattr;
    10 fgetxattr [Fd, Str, Ptr, Long] Int => fs::fgetxattr;
    11 listxattr [Str, Ptr, Long] Int => fs::listxattr;
    12 llistxattr [Str, Ptr, Long] Int => fs::llistxattr;
    13 flistxattr [Fd, Ptr, Long] Int => fs::flistxattr;
    14 removexattr [Str, Str] Int => fs::removexattr;
    15 lremovexattr [Str, Str] Int => fs::lremovexattr;
    16 fremovexattr [Fd, Str] Int => fs::fremovexattr;
    17 getcwd [OutBuf, Long] Int => fs::getcwd;
    19 eventfd2 [Int, Hex] Int => poll::eventfd2;
    20 epoll_create1 [Hex] Int => poll::epoll_create1;
    21 epoll_ctl [Fd, Int, Fd, Ptr] Int => poll::epoll_ctl;
    22 epoll_pwait [Fd, Ptr, Int, Int, Ptr, Long] Int => poll::epoll_pwait;
    23 dup [Fd] Int => fd::dup;
    24 dup3 [Fd, Fd, OpenFlags] Int => fd::dup3;
    25 fcntl [Fd, Fcntl, Hex] Int => fd::fcntl;
    26 inotify_init1 [Hex] Int => fs::inotify_init1;
    27 inotify_add_watch [Fd, Str, Hex] Int => fs::inotify_add_watch;
    28 inotify_rm_watch [Fd, Int] Int => fs::inotify_rm_watch;
    29 ioctl [Fd, Ioctl, Hex] Int => ioctl::ioctl;
    32 flock [Fd, Int] Int => fd::flock;
    33 mknodat [DirFd, Str, Mode, Hex] Int => fs::mknodat;
    34 mkdirat [DirFd, Str, Mode] Int => fs::mkdirat;
    35 unlinkat [DirFd, Str, AtFlags] Int => fs::unlinkat;
    36 symlinkat [Str, DirFd, Str] Int => fs::symlinkat;
    37 linkat [DirFd, Str, DirFd, Str, AtFlags] Int => fs::linkat;
    38 renameat [DirFd, Str, DirFd, Str] Int => fs::renameat;
    43 statfs [Str, Ptr] Int => fs::statfs;
    44 fstatfs [Fd, Ptr] Int => fs::fstatfs;
    45 truncate [Str, Long] Int => fs::truncate;
    46 ftruncate [Fd, Long] Int => fs::ftruncate;
    47 fallocate [Fd, Hex, Long, Long] Int => fs::fallocate;
    48 faccessat [DirFd, Str, Hex] Int => fs::faccessat;
    49 chdir [Str] Int => fs::chdir;
    50 fchdir [Fd] Int => fs::fchdir;
    52 fchmod [Fd, Mode] Int => fs::fchmod;
    53 fchmodat [DirFd, Str, Mode] Int => fs::fchmodat;
    54 fchownat [DirFd, Str, Int, Int, AtFlags] Int => fs::fchownat;
    55 fchown [Fd, Int, Int] Int => fs::fchown;
    56 openat [DirFd, Str, OpenFlags, Mode] Int => fs::openat;
    57 close [Fd] Int => fd::close;
    59 pipe2 [Ptr, OpenFlags] Int => fd::pipe2;
    61 getdents64 [Fd, Ptr, Long] Int => fd::getdents64;
    62 lseek [Fd, Long, Whence] Int => fd::lseek;
    63 read [Fd, OutBuf, Long] Int => fd::read;
    64 write [Fd, InBuf(2), Long] Int => fd::write;
    65 readv [Fd, Ptr, Int] Int => fd::readv;
    66 writev [Fd, Ptr, Int] Int => fd::writev;
    67 pread64 [Fd, OutBuf, Long, Long] Int => fd::pread64;
    68 pwrite64 [Fd, InBuf(2), Long, Long] Int => fd::pwrite64;
    69 preadv [Fd, Ptr, Int, Long] Int => fd::preadv;
    70 pwritev [Fd, Ptr, Int, Long] Int => fd::pwritev;
    71 sendfile [Fd, Fd, Ptr, Long] Int => fd::sendfile;
    72 pselect6 [Int, Ptr, Ptr, Ptr, Ptr, Ptr] Int => poll::pselect6;
    73 ppoll [Ptr, Int, Ptr, Ptr, Long] Int => poll::ppoll;
    74 signalfd4 [Fd, Ptr, Long, Hex] Int => poll::signalfd4;
    75 vmsplice [Fd, Ptr, Long, Hex] Int => fd::vmsplice;
    76 splice [Fd, Ptr, Fd, Ptr, Long, Hex] Int => fd::splice;
    77 tee [Fd, Fd, Long, Hex] Int => fd::tee;
    78 readlinkat [DirFd, Str, OutBuf, Long] Int => fs::readlinkat;
    79 newfstatat [DirFd, Str, Ptr, AtFlags] Int => fs::newfstatat;
    80 fstat [Fd, Ptr] Int => fs::fstat;
    81 sync [] Int => fs::sync;
    82 fsync [Fd] Int => fs::fsync;
    83 fdatasync [Fd] Int => fs::fdatasync;
    84 sync_file_range [Fd, Long, Long, Hex] Int => fs::sync_file_range;
    85 timerfd_create [Clock, Hex] Int => poll::timerfd_create;
    86 timerfd_settime [Fd, Hex, Ptr, Ptr] Int => poll::timerfd_settime;
    87 timerfd_gettime [Fd, Ptr] Int => poll::timerfd_gettime;
    88 utimensat [DirFd, Str, Ptr, AtFlags] Int => fs::utimensat;
    90 capget [Ptr, Ptr] Int => process::capget;
    91 capset [Ptr, Ptr] Int => process::capset;
    92 personality [Hex] Hex => process::personality;
    93 exit [Int] NoReturn => process::exit;
    94 exit_group [Int] NoReturn => process::exit_group;
    95 waitid [Int, Int, Ptr, Hex, Ptr] Int => process::waitid;
    96 set_tid_address [Ptr] Int => process::set_tid_address;
    98 futex [Ptr, Int, Hex, Ptr, Ptr, Hex] Int => process::futex;
    99 set_robust_list [Ptr, Long] Int => process::set_robust_list;
    100 get_robust_list [Int, Ptr, Ptr] Int => process::get_robust_list;
    101 nanosleep [Ptr, Ptr] Int => time::nanosleep;
    102 getitimer [Int, Ptr] Int => time::getitimer;
    103 setitimer [Int, Ptr, Ptr] Int => time::setitimer;
    107 timer_create [Clock, Ptr, Ptr] Int => time::timer_create;
    108 timer_gettime [Int, Ptr] Int => time::timer_gettime;
    109 timer_getoverrun [Int] Int => time::timer_getoverrun;
    110 timer_settime [Int, Hex, Ptr, Ptr] Int => time::timer_settime;
    111 timer_delete [Int] Int => time::timer_delete;
    113 clock_gettime [Clock, Ptr] Int => time::clock_gettime;
    114 clock_getres [Clock, Ptr] Int => time::clock_getres;
    115 clock_nanosleep [Clock, Hex, Ptr, Ptr] Int => time::clock_nanosleep;
    118 sched_setparam [Int, Ptr] Int => process::sched_setparam;
    119 sched_setscheduler [Int, Int, Ptr] Int => process::sched_setscheduler;
    120 sched_getscheduler [Int] Int => process::sched_getscheduler;
    121 sched_getparam [Int, Ptr] Int => process::sched_getparam;
    122 sched_setaffinity [Int, Long, Ptr] Int => process::sched_setaffinity;
    123 sched_getaffinity [Int, Long, Ptr] Int => process::sched_getaffinity;
    124 sched_yield [] Int => process::sched_yield;
    125 sched_get_priority_max [Int] Int => process::sched_get_priority_max;
    126 sched_get_priority_min [Int] Int => process::sched_get_priority_min;
    127 sched_rr_get_interval [Int, Ptr] Int => process::sched_rr_get_interval;
    129 kill [Int, Signal] Int => process::kill;
    130 tkill [Int, Signal] Int => process::tkill;
    131 tgkill [Int, Int, Signal] Int => process::tgkill;
    132 sigaltstack [Ptr, Ptr] Int => signal::sigaltstack;
    134 rt_sigaction [Signal, Ptr, Ptr, Long] Int => signal::rt_sigaction;
    135 rt_sigprocmask [Int, Ptr, Ptr, Long] Int => signal::rt_sigprocmask;
    136 rt_sigpending [Ptr, Long] Int => signal::rt_sigpending;
    139 rt_sigreturn [] Int => signal::rt_sigreturn;
    140 setpriority [Int, Int, Int] Int => process::setpriority;
    141 getpriority [Int, Int] Int => process::getpriority;
    143 setregid [Int, Int] Int => process::setregid;
    144 setgid [Int] Int => process::setgid;
    145 setreuid [Int, Int] Int => process::setreuid;
    146 setuid [Int] Int => process::setuid;
    147 setresuid [Int, Int, Int] Int => process::setresuid;
    148 getresuid [Ptr, Ptr, Ptr] Int => process::getresuid;
    149 setresgid [Int, Int, Int] Int => process::setresgid;
    150 getresgid [Ptr, Ptr, Ptr] Int => process::getresgid;
    153 times [Ptr] Int => time::times;
    154 setpgid [Int, Int] Int => process::setpgid;
    155 getpgid [Int] Int => process::getpgid;
    156 getsid [Int] Int => process::getsid;
    157 setsid [] Int => process::setsid;
    158 getgroups [Int, Ptr] Int => process::getgroups;
    159 setgroups [Int, Ptr] Int => process::setgroups;
    160 uname [Ptr] Int => process::uname;
    163 getrlimit [Int, Ptr] Int => process::getrlimit;
    164 setrlimit [Int, Ptr] Int => process::setrlimit;
    165 getrusage [Int, Ptr] Int => process::getrusage;
    166 umask [Mode] Int => fs::umask;
    167 prctl [Int, Hex, Hex, Hex, Hex] Int => process::prctl;
    168 getcpu [Ptr, Ptr, Ptr] Int => process::getcpu;
    169 gettimeofday [Ptr, Ptr] Int => time::gettimeofday;
    172 getpid [] Int => process::getpid;
    173 getppid [] Int => process::getppid;
    174 getuid [] Int => process::getuid;
    175 geteuid [] Int => process::geteuid;
    176 getgid [] Int => process::getgid;
    177 getegid [] Int => process::getegid;
    178 gettid [] Int => process::gettid;
    179 sysinfo [Ptr] Int => process::sysinfo;
    198 socket [Int, Hex, Int] Int => socket::socket;
    199 socketpair [Int, Hex, Int, Ptr] Int => socket::socketpair;
    200 bind [Fd, Ptr, Int] Int => socket::bind;
    201 listen [Fd, Int] Int => socket::listen;
    202 accept [Fd, Ptr, Ptr] Int => socket::accept;
    203 connect [Fd, Ptr, Int] Int => socket::connect;
    204 getsockname [Fd, Ptr, Ptr] Int => socket::getsockname;
    205 getpeername [Fd, Ptr, Ptr] Int => socket::getpeername;
    206 sendto [Fd, InBuf(2), Long, Hex, Ptr, Int] Int => socket::sendto;
    207 recvfrom [Fd, OutBuf, Long, Hex, Ptr, Ptr] Int => socket::recvfrom;
    208 setsockopt [Fd, Int, Int, Ptr, Int] Int => socket::setsockopt;
    209 getsockopt [Fd, Int, Int, Ptr, Ptr] Int => socket::getsockopt;
    210 shutdown [Fd, Int] Int => socket::shutdown;
    211 sendmsg [Fd, Ptr, Hex] Int => socket::sendmsg;
    212 recvmsg [Fd, Ptr, Hex] Int => socket::recvmsg;
    213 readahead [Fd, Long, Long] Int => fs::readahead;
    214 brk [Ptr] Hex => mm::brk;
    215 munmap [Ptr, Long] Int => mm::munmap;
    216 mremap [Ptr, Long, Long, Hex, Ptr] Hex => mm::mremap;
    220 clone [Hex, Ptr, Ptr, Ptr, Ptr] Int => process::clone;
    221 execve [Str, Ptr, Ptr] Int => exec::execve;
    222 mmap [Ptr, Long, Prot, MapFlags, Fd, Hex] Hex => mm::mmap;
    223 fadvise64 [Fd, Long, Long, Int] Int => fs::fadvise64;
    226 mprotect [Ptr, Long, Prot] Int => mm::mprotect;
    227 msync [Ptr, Long, Hex] Int => mm::msync;
    228 mlock [Ptr, Long] Int => mm::mlock;
    229 munlock [Ptr, Long] Int => mm::munlock;
    230 mlockall [Hex] Int => mm::mlockall;
    231 munlockall [] Int => mm::munlockall;
    232 mincore [Ptr, Long, Ptr] Int => mm::mincore;
    233 madvise [Ptr, Long, Int] Int => mm::madvise;
    242 accept4 [Fd, Ptr, Ptr, Hex] Int => socket::accept4;
    258 riscv_hwprobe [Ptr, Long, Long, Ptr, Hex] Int => riscv::riscv_hwprobe;
    259 riscv_flush_icache [Hex, Hex, Hex] Int => riscv::riscv_flush_icache;
    260 wait4 [Int, Ptr, Hex, Ptr] Int => process::wait4;
    261 prlimit64 [Int, Int, Ptr, Ptr] Int => process::prlimit64;
    267 syncfs [Fd] Int => fs::syncfs;
    276 renameat2 [DirFd, Str, DirFd, Str, Hex] Int => fs::renameat2;
    278 getrandom [OutBuf, Long, Hex] Int => process::getrandom;
    279 memfd_create [Str, Hex] Int => fd::memfd_create;
    283 membarrier [Int, Hex, Int] Int => process::membarrier;
    284 mlock2 [Ptr, Long, Hex] Int => mm::mlock2;
    285 copy_file_range [Fd, Ptr, Fd, Ptr, Long, Hex] Int => fd::copy_file_range;
    286 preadv2 [Fd, Ptr, Int, Long, Hex] Int => fd::preadv2;
    287 pwritev2 [Fd, Ptr, Int, Long, Hex] Int => fd::pwritev2;
    291 statx [DirFd, Str, AtFlags, Hex, Ptr] Int => fs::statx;
    293 rseq [Ptr, Int, Hex, Hex] Int => process::rseq;
    424 pidfd_send_signal [Fd, Signal, Ptr, Hex] Int => process::pidfd_send_signal;
    434 pidfd_open [Int, Hex] Int => process::pidfd_open;
    436 close_range [Fd, Fd, Hex] Int => fd::close_range;
    439 faccessat2 [DirFd, Str, Hex, AtFlags] Int => fs::faccessat2;
    441 epoll_pwait2 [Fd, Ptr, Int, Ptr, Ptr, Long] Int => poll::epoll_pwait2;
    452 fchmodat2 [DirFd, Str, Mode, AtFlags] Int => fs::fchmodat2;
}

/// Highest syscall number the index covers.
const INDEX_LEN: usize = 512;

/// Map syscall number -> row index (`u16::MAX` for no row).
pub(crate) fn build_index() -> Vec<u16> {
    let mut idx = vec![u16::MAX; INDEX_LEN];
    for (i, row) in TABLE.iter().enumerate() {
        if let Some(slot) = idx.get_mut(row.nr as usize) {
            *slot = i as u16;
        }
    }
    idx
}

/// The row for syscall `nr`, if remu implements it.
pub fn lookup(nr: u64) -> Option<&'static Row> {
    TABLE.iter().find(|r| r.nr as u64 == nr)
}

/// asm-generic names 0..=293 (gaps for arch-specific slots 244..=259 are filled below).
const NAMES_LOW: [&str; 294] = [
    "io_setup",
    "io_destroy",
    "io_submit",
    "io_cancel",
    "io_getevents",
    "setxattr",
    "lsetxattr",
    "fsetxattr",
    "getxattr",
    "lgetxattr",
    "fgetxattr",
    "listxattr",
    "llistxattr",
    "flistxattr",
    "removexattr",
    "lremovexattr",
    "fremovexattr",
    "getcwd",
    "lookup_dcookie",
    "eventfd2",
    "epoll_create1",
    "epoll_ctl",
    "epoll_pwait",
    "dup",
    "dup3",
    "fcntl",
    "inotify_init1",
    "inotify_add_watch",
    "inotify_rm_watch",
    "ioctl",
    "ioprio_set",
    "ioprio_get",
    "flock",
    "mknodat",
    "mkdirat",
    "unlinkat",
    "symlinkat",
    "linkat",
    "renameat",
    "umount2",
    "mount",
    "pivot_root",
    "nfsservctl",
    "statfs",
    "fstatfs",
    "truncate",
    "ftruncate",
    "fallocate",
    "faccessat",
    "chdir",
    "fchdir",
    "chroot",
    "fchmod",
    "fchmodat",
    "fchownat",
    "fchown",
    "openat",
    "close",
    "vhangup",
    "pipe2",
    "quotactl",
    "getdents64",
    "lseek",
    "read",
    "write",
    "readv",
    "writev",
    "pread64",
    "pwrite64",
    "preadv",
    "pwritev",
    "sendfile",
    "pselect6",
    "ppoll",
    "signalfd4",
    "vmsplice",
    "splice",
    "tee",
    "readlinkat",
    "newfstatat",
    "fstat",
    "sync",
    "fsync",
    "fdatasync",
    "sync_file_range",
    "timerfd_create",
    "timerfd_settime",
    "timerfd_gettime",
    "utimensat",
    "acct",
    "capget",
    "capset",
    "personality",
    "exit",
    "exit_group",
    "waitid",
    "set_tid_address",
    "unshare",
    "futex",
    "set_robust_list",
    "get_robust_list",
    "nanosleep",
    "getitimer",
    "setitimer",
    "kexec_load",
    "init_module",
    "delete_module",
    "timer_create",
    "timer_gettime",
    "timer_getoverrun",
    "timer_settime",
    "timer_delete",
    "clock_settime",
    "clock_gettime",
    "clock_getres",
    "clock_nanosleep",
    "syslog",
    "ptrace",
    "sched_setparam",
    "sched_setscheduler",
    "sched_getscheduler",
    "sched_getparam",
    "sched_setaffinity",
    "sched_getaffinity",
    "sched_yield",
    "sched_get_priority_max",
    "sched_get_priority_min",
    "sched_rr_get_interval",
    "restart_syscall",
    "kill",
    "tkill",
    "tgkill",
    "sigaltstack",
    "rt_sigsuspend",
    "rt_sigaction",
    "rt_sigprocmask",
    "rt_sigpending",
    "rt_sigtimedwait",
    "rt_sigqueueinfo",
    "rt_sigreturn",
    "setpriority",
    "getpriority",
    "reboot",
    "setregid",
    "setgid",
    "setreuid",
    "setuid",
    "setresuid",
    "getresuid",
    "setresgid",
    "getresgid",
    "setfsuid",
    "setfsgid",
    "times",
    "setpgid",
    "getpgid",
    "getsid",
    "setsid",
    "getgroups",
    "setgroups",
    "uname",
    "sethostname",
    "setdomainname",
    "getrlimit",
    "setrlimit",
    "getrusage",
    "umask",
    "prctl",
    "getcpu",
    "gettimeofday",
    "settimeofday",
    "adjtimex",
    "getpid",
    "getppid",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "gettid",
    "sysinfo",
    "mq_open",
    "mq_unlink",
    "mq_timedsend",
    "mq_timedreceive",
    "mq_notify",
    "mq_getsetattr",
    "msgget",
    "msgctl",
    "msgrcv",
    "msgsnd",
    "semget",
    "semctl",
    "semtimedop",
    "semop",
    "shmget",
    "shmctl",
    "shmat",
    "shmdt",
    "socket",
    "socketpair",
    "bind",
    "listen",
    "accept",
    "connect",
    "getsockname",
    "getpeername",
    "sendto",
    "recvfrom",
    "setsockopt",
    "getsockopt",
    "shutdown",
    "sendmsg",
    "recvmsg",
    "readahead",
    "brk",
    "munmap",
    "mremap",
    "add_key",
    "request_key",
    "keyctl",
    "clone",
    "execve",
    "mmap",
    "fadvise64",
    "swapon",
    "swapoff",
    "mprotect",
    "msync",
    "mlock",
    "munlock",
    "mlockall",
    "munlockall",
    "mincore",
    "madvise",
    "remap_file_pages",
    "mbind",
    "get_mempolicy",
    "set_mempolicy",
    "migrate_pages",
    "move_pages",
    "rt_tgsigqueueinfo",
    "perf_event_open",
    "accept4",
    "recvmmsg",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "wait4",
    "prlimit64",
    "fanotify_init",
    "fanotify_mark",
    "name_to_handle_at",
    "open_by_handle_at",
    "clock_adjtime",
    "syncfs",
    "setns",
    "sendmmsg",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "finit_module",
    "sched_setattr",
    "sched_getattr",
    "renameat2",
    "seccomp",
    "getrandom",
    "memfd_create",
    "bpf",
    "execveat",
    "userfaultfd",
    "membarrier",
    "mlock2",
    "copy_file_range",
    "preadv2",
    "pwritev2",
    "pkey_mprotect",
    "pkey_alloc",
    "pkey_free",
    "statx",
    "io_pgetevents",
    "rseq",
];

/// asm-generic names from 424 on (the numbers shared by all architectures since 5.1).
const NAMES_HIGH: [&str; 39] = [
    "pidfd_send_signal",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "pidfd_open",
    "clone3",
    "close_range",
    "openat2",
    "pidfd_getfd",
    "faccessat2",
    "process_madvise",
    "epoll_pwait2",
    "mount_setattr",
    "quotactl_fd",
    "landlock_create_ruleset",
    "landlock_add_rule",
    "landlock_restrict_self",
    "memfd_secret",
    "process_mrelease",
    "futex_waitv",
    "set_mempolicy_home_node",
    "cachestat",
    "fchmodat2",
    "map_shadow_stack",
    "futex_wake",
    "futex_wait",
    "futex_requeue",
    "statmount",
    "listmount",
    "lsm_get_self_attr",
    "lsm_set_self_attr",
    "lsm_list_modules",
    "mseal",
];

/// The asm-generic name of syscall `nr` (arch-specific slots: riscv64's hwprobe/flush_icache).
pub fn generic_name(nr: u64) -> Option<&'static str> {
    match nr {
        258 => Some("riscv_hwprobe"),
        259 => Some("riscv_flush_icache"),
        0..=293 => Some(NAMES_LOW[nr as usize]).filter(|s| !s.is_empty()),
        424..=462 => Some(NAMES_HIGH[nr as usize - 424]),
        _ => None,
    }
}
