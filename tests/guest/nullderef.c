/* A load through a null pointer ends the process with SIGSEGV: the exit status is "killed by
 * signal 11", as under qemu-user and on hardware (issue #4). Output before the fault is
 * flushed, so it shows the program got there. Also a store to a read-only page (argv "ro"). */
// test-run: main signal:11
// test-run: ro signal:11 ro
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    volatile int *p = 0;
    if (argc > 1 && strcmp(argv[1], "ro") == 0) {
        p = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        printf("storing to a read-only page\n");
        fflush(stdout);
        *p = 1;
    } else {
        printf("loading through a null pointer\n");
        fflush(stdout);
        (void)*p;
    }
    printf("still alive: not reached\n");
    return 0;
}
