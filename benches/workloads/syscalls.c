/* Workload: a syscall-heavy loop (getpid, clock_gettime, write to /dev/null, lseek): measures
 * the cost of leaving translated code for the kernel and coming back. */
#include "common.h"
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
    long n = iters(argc, argv, 50000);
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) { puts("syscalls FAIL: open /dev/null"); return 1; }
    uint64_t h = 0;
    struct timespec ts;
    for (long i = 0; i < n; i++) {
        h += (uint64_t)(getpid() > 0);
        clock_gettime(CLOCK_MONOTONIC, &ts);
        h += (uint64_t)write(fd, &ts, 8);
        h += (uint64_t)lseek(fd, 0, SEEK_CUR) & 1;
    }
    close(fd);
    printf("syscalls %llu\n", (unsigned long long)h);
    return 0;
}
