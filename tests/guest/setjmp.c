/* setjmp/longjmp: return values (0 becomes 1), jumps out of deep recursion, volatile locals kept,
 * callee-saved FP registers restored, nested buffers. (siglongjmp out of a signal handler is
 * sigsetjmp.c: it needs guest signal delivery.) */
#include "check.h"
#include <setjmp.h>
#include <string.h>

static jmp_buf env;
static int depth_reached;

static void recurse(int depth) {
    char pad[64];
    memset(pad, depth, sizeof pad);
    if (pad[depth % 64] != (char)depth)
        abort();
    depth_reached = depth;
    if (depth == 500)
        longjmp(env, depth);
    if (depth > 100000) /* never: longjmp above leaves first */
        return;
    recurse(depth + 1);
    __asm__ volatile("" ::: "memory");
}

static jmp_buf inner;
static void jump_zero(void) {
    longjmp(inner, 0);
}

static jmp_buf fpj;
static volatile double clobber = 1.0;
static void __attribute__((noinline)) clobber_fp(void) {
    /* use many FP registers, then jump back: the callee-saved ones must come back from the buffer */
    double t[16];
    for (int i = 0; i < 16; i++)
        t[i] = clobber * i;
    for (int k = 0; k < 4; k++)
        for (int i = 0; i < 16; i++)
            t[i] = t[i] * t[(i + 1) & 15] + clobber;
    clobber = t[3] + t[11];
    longjmp(fpj, 1);
}

static double fp_work(double x) {
    /* values live in callee-saved FP registers across the setjmp and are not modified after it */
    double a = x * 2, b = x * 3, c = x * 5;
    if (setjmp(fpj) == 0)
        clobber_fp();
    return a + b + c;
}

int main(void) {
    volatile int counter = 0;
    int r = setjmp(env);
    counter++;
    if (r == 0) {
        recurse(0);
        CHECK(0); /* not reached */
    }
    printf("longjmp from depth %d returned %d, counter %d\n", depth_reached, r, counter);
    CHECK(r == 500 && counter == 2);

    r = setjmp(inner);
    if (r == 0)
        jump_zero();
    printf("longjmp(.., 0) made setjmp return %d\n", r);
    CHECK(r == 1);

    /* nested: an inner buffer jumps, then the outer */
    jmp_buf outer_b, inner_b;
    volatile int stage = 0;
    if (setjmp(outer_b) == 0) {
        if (setjmp(inner_b) == 0) {
            stage = 1;
            longjmp(inner_b, 2);
        }
        stage = stage * 10 + 2;
        longjmp(outer_b, 3);
    }
    stage = stage * 10 + 3;
    printf("nested stages %d\n", stage);
    CHECK(stage == 123);

    double fw = fp_work(1.5);
    printf("fp across setjmp %g\n", fw);
    CHECK(fw == 1.5 * 10);

    return finish("setjmp");
}
