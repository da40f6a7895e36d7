//! Clocks, sleeps and interval timers. `struct timespec`, `timeval`, `itimerval` and `tms` have
//! the same 64-bit layout on the guests and on x86_64, and clock ids are shared, so every call
//! passes through (no vDSO is offered to the guest, so these syscalls are its only clock).

passthrough! {
    clock_gettime => SYS_clock_gettime;
    clock_getres => SYS_clock_getres;
    clock_nanosleep => SYS_clock_nanosleep;
    nanosleep => SYS_nanosleep;
    gettimeofday => SYS_gettimeofday;
    times => SYS_times;
    getitimer => SYS_getitimer;
    setitimer => SYS_setitimer;
}
