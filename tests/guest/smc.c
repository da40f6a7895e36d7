/* Self-modifying code (issue #4): machine code written into an mmap'd buffer, made visible with
 * __builtin___clear_cache (IC IVAU/DC CVAU on aarch64, the riscv_flush_icache syscall on
 * riscv64), called, then overwritten in place with different code, flushed and called again.
 * Each function is called many times first, so a JIT has compiled (and chained) the old code
 * before it is replaced. Two buffers: one mapped RWX, one written RW and flipped to RX with
 * mprotect. The instruction words are hand-assembled for each guest. */
#include "check.h"
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

typedef int (*fn_t)(int);

#if defined(__aarch64__)
/* mov w0, #imm16 ; ret */
static void gen_const(uint32_t *p, int k) {
    p[0] = 0x52800000u | ((uint32_t)k << 5); /* movz w0, #k */
    p[1] = 0xd65f03c0u;                      /* ret */
}
/* add w0, w0, #imm12 ; ret */
static void gen_add(uint32_t *p, int k) {
    p[0] = 0x11000000u | ((uint32_t)k << 10); /* add w0, w0, #k */
    p[1] = 0xd65f03c0u;
}
/* lsl w0, w0, #1 ; add w0, w0, #imm12 ; ret: a longer body over the same address */
static void gen_dbl_add(uint32_t *p, int k) {
    p[0] = 0x531f7800u;                       /* lsl w0, w0, #1 (ubfm w0, w0, #31, #30) */
    p[1] = 0x11000000u | ((uint32_t)k << 10); /* add w0, w0, #k */
    p[2] = 0xd65f03c0u;
}
#elif defined(__riscv) && __riscv_xlen == 64
/* li a0, imm12 ; ret */
static void gen_const(uint32_t *p, int k) {
    p[0] = ((uint32_t)k << 20) | (10u << 7) | 0x13u; /* addi a0, zero, k */
    p[1] = 0x00008067u;                               /* jalr zero, 0(ra) */
}
/* addiw a0, a0, imm12 ; ret */
static void gen_add(uint32_t *p, int k) {
    p[0] = ((uint32_t)k << 20) | (10u << 15) | (10u << 7) | 0x1bu; /* addiw a0, a0, k */
    p[1] = 0x00008067u;
}
/* slliw a0, a0, 1 ; addiw a0, a0, imm12 ; ret */
static void gen_dbl_add(uint32_t *p, int k) {
    p[0] = (1u << 20) | (10u << 15) | (1u << 12) | (10u << 7) | 0x1bu; /* slliw a0, a0, 1 */
    p[1] = ((uint32_t)k << 20) | (10u << 15) | (10u << 7) | 0x1bu;    /* addiw a0, a0, k */
    p[2] = 0x00008067u;
}
#else
#error "smc.c: unsupported guest"
#endif

static void flush(void *p, size_t n) {
    __builtin___clear_cache((char *)p, (char *)p + n);
}

/* Calls f(i) for i in 0..n and returns the sum, so the code runs hot. */
static long hot(fn_t f, int n) {
    long s = 0;
    for (int i = 0; i < n; i++)
        s += f(i);
    return s;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0); /* what ran before a crash stays visible */
    /* RWX buffer, rewritten in place. */
    uint32_t *rwx = mmap(0, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(rwx != MAP_FAILED);
    fn_t f = (fn_t)(uintptr_t)rwx;
    gen_const(rwx, 42);
    flush(rwx, 8);
    printf("rwx const 42: %d, hot %ld\n", f(0), hot(f, 1000));
    gen_const(rwx, 7);
    flush(rwx, 8);
    printf("rwx const 7: %d, hot %ld\n", f(0), hot(f, 1000));
    gen_add(rwx, 100);
    flush(rwx, 8);
    printf("rwx add 100: %d, hot %ld\n", f(5), hot(f, 1000));
    gen_dbl_add(rwx, 3);
    flush(rwx, 12);
    printf("rwx dbl add 3: %d, hot %ld\n", f(5), hot(f, 1000));
    /* Only the first word changes: add #3 -> add #9 after the shift. */
    rwx[1] = 0;
    gen_dbl_add(rwx, 9);
    flush(rwx + 1, 4);
    printf("rwx dbl add 9: %d, hot %ld\n", f(5), hot(f, 1000));

    /* W^X buffer: write RW, mprotect RX, call; back to RW, rewrite, RX again. */
    uint32_t *wx = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(wx != MAP_FAILED);
    fn_t g = (fn_t)(uintptr_t)wx;
    for (int round = 0; round < 3; round++) {
        CHECK(mprotect(wx, 4096, PROT_READ | PROT_WRITE) == 0);
        gen_add(wx, 10 + round);
        CHECK(mprotect(wx, 4096, PROT_READ | PROT_EXEC) == 0);
        flush(wx, 8);
        printf("wx round %d: %d, hot %ld\n", round, g(1), hot(g, 500));
    }
    CHECK(munmap(rwx, 4096) == 0);
    CHECK(munmap(wx, 4096) == 0);
    return finish("smc");
}
