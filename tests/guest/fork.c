/* Processes: fork with waitpid and exit statuses, a pipe between parent and child, and a child
 * killed by a signal. (execve of a guest binary is not here: qemu-user 7.2, the reference, cannot
 * run a foreign binary without binfmt_misc; tests/real_software.rs covers it with busybox.) */
#include "check.h"
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0)
        _exit(7);
    int st = 0;
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("child exit: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);

    int p[2];
    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        const char msg[] = "through the pipe";
        _exit(write(p[1], msg, sizeof msg) == sizeof msg ? 0 : 1);
    }
    close(p[1]);
    char buf[64] = {0};
    ssize_t n = read(p[0], buf, sizeof buf);
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("pipe: %zd bytes \"%s\"\n", n, buf);
    close(p[0]);

    pid = fork();
    if (pid == 0) {
        raise(SIGKILL);
        _exit(1);
    }
    CHECK(waitpid(pid, &st, 0) == pid);
    printf("killed child: signaled %d signal %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

    return finish("fork");
}
