/* sigsetjmp/siglongjmp out of a signal handler, with the signal mask restored by siglongjmp.
 * Needs guest signal delivery (a handler installed with sigaction runs on raise()). */
#include "check.h"
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf senv;
static volatile sig_atomic_t handled;
static void on_usr1(int sig) {
    handled = sig;
    siglongjmp(senv, 7);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    int r = sigsetjmp(senv, 1);
    if (r == 0) {
        raise(SIGUSR1);
        CHECK(0); /* not reached */
    }
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    printf("siglongjmp from handler of signal %d returned %d, SIGUSR1 blocked after: %d\n", (int)handled, r,
           sigismember(&cur, SIGUSR1));
    CHECK(r == 7 && handled == SIGUSR1 && !sigismember(&cur, SIGUSR1));
    return finish("sigsetjmp");
}
