/* What a guest started through binfmt_misc sees: its argv, /proc/self/exe, whether fd 0 is
 * open, and the lowest free descriptor (remu must not leave AT_EXECFD's descriptor behind).
 * `args exec PATH ARGS...` execs PATH instead, to test a guest execve of a foreign binary.
 * Built static for aarch64 and riscv64 by tests/binfmt_run.rs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "exec") == 0) {
        execv(argv[2], argv + 2);
        printf("execv failed: %s\n", strerror(errno));
        return 99;
    }
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    char buf[4096];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n >= 0) {
        buf[n] = 0;
        printf("exe=%s\n", buf);
    } else {
        printf("exe=error %s\n", strerror(errno));
    }
    printf("fd0=%s\n", fcntl(0, F_GETFD) == -1 ? "closed" : "open");
    printf("first-free-fd=%d\n", open("/", O_RDONLY));
    return 0;
}
