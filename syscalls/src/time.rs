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
    // struct sigevent has the same 64-byte layout; SIGEV_THREAD is done by the guest's libc.
    timer_create => SYS_timer_create;
    timer_settime => SYS_timer_settime;
    timer_gettime => SYS_timer_gettime;
    timer_getoverrun => SYS_timer_getoverrun;
    timer_delete => SYS_timer_delete;
}
