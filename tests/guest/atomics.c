/* GCC __atomic builtins at every width the compiler inlines without libatomic (8..64 bits on
 * aarch64, 32/64 on riscv64), and a 128-bit LDXP/STXP compare-and-swap on aarch64: fetch-and-op, exchange, strong and weak compare-exchange that
 * succeed and fail, narrow values next to other data (no neighbouring byte may change), sign
 * boundaries, and a hot loop (the JIT's inline atomics). Single-threaded: threads.c needs clone.
 * aarch64 gcc outlines atomics (__aarch64_*: LSE when HWCAP says so, else LDXR/STXR);
 * riscv64 uses AMOs and LR/SC. Output is the same on both guests. */
#include "check.h"
#include <stdint.h>

#define WIDTH_TESTS(T, NAME)                                                                \
    static void test_##NAME(void) {                                                         \
        static struct { T guard0; T v; T guard1; } s;                                       \
        s.guard0 = (T)0x5a5a5a5a5a5a5a5aull;                                                \
        s.guard1 = (T)0xa5a5a5a5a5a5a5a5ull;                                                \
        T max = (T)~(T)0;                                                                   \
        s.v = 5;                                                                            \
        CHECK(__atomic_fetch_add(&s.v, 3, __ATOMIC_SEQ_CST) == 5 && s.v == 8);              \
        CHECK(__atomic_fetch_sub(&s.v, 10, __ATOMIC_ACQ_REL) == 8 && s.v == (T)(max - 1));  \
        CHECK(__atomic_add_fetch(&s.v, 2, __ATOMIC_RELAXED) == 0);                          \
        s.v = (T)0xf0f0f0f0f0f0f0f0ull;                                                     \
        CHECK(__atomic_fetch_and(&s.v, (T)0x3c3c3c3c3c3c3c3cull, __ATOMIC_SEQ_CST)          \
              == (T)0xf0f0f0f0f0f0f0f0ull);                                                 \
        CHECK(s.v == (T)0x3030303030303030ull);                                             \
        CHECK(__atomic_fetch_or(&s.v, (T)0x0101010101010101ull, __ATOMIC_ACQUIRE)           \
              == (T)0x3030303030303030ull && s.v == (T)0x3131313131313131ull);              \
        CHECK(__atomic_fetch_xor(&s.v, max, __ATOMIC_RELEASE) == (T)0x3131313131313131ull   \
              && s.v == (T)0xcecececececececeull);                                          \
        CHECK(__atomic_fetch_nand(&s.v, (T)0xffull, __ATOMIC_SEQ_CST)                       \
              == (T)0xcecececececececeull && s.v == (T)~(T)0xceull);                        \
        CHECK(__atomic_exchange_n(&s.v, (T)0x80, __ATOMIC_SEQ_CST) == (T)~(T)0xceull);      \
        T e = 0x80;                                                                         \
        CHECK(__atomic_compare_exchange_n(&s.v, &e, (T)0x7f, 0, __ATOMIC_SEQ_CST,           \
                                          __ATOMIC_SEQ_CST) && s.v == 0x7f);                \
        e = 0x80;                                                                           \
        CHECK(!__atomic_compare_exchange_n(&s.v, &e, (T)1, 0, __ATOMIC_SEQ_CST,             \
                                           __ATOMIC_RELAXED) && e == 0x7f && s.v == 0x7f);  \
        int tries = 0;                                                                      \
        e = 0x7f;                                                                           \
        while (!__atomic_compare_exchange_n(&s.v, &e, max, 1, __ATOMIC_ACQ_REL,             \
                                            __ATOMIC_ACQUIRE) && tries < 100)               \
            tries++;                                                                        \
        CHECK(s.v == max && tries < 100);                                                   \
        CHECK(s.guard0 == (T)0x5a5a5a5a5a5a5a5aull && s.guard1 == (T)0xa5a5a5a5a5a5a5a5ull); \
        /* A hot loop: the sum of 0..n-1 added atomically, and a CAS-increment loop. */     \
        s.v = 0;                                                                            \
        uint64_t want = 0;                                                                  \
        for (unsigned i = 0; i < 100000; i++) {                                             \
            __atomic_fetch_add(&s.v, (T)i, __ATOMIC_SEQ_CST);                               \
            want += i;                                                                      \
        }                                                                                   \
        CHECK(s.v == (T)want);                                                              \
        s.v = 0;                                                                            \
        for (int i = 0; i < 100000; i++) {                                                  \
            T cur = __atomic_load_n(&s.v, __ATOMIC_RELAXED);                                \
            while (!__atomic_compare_exchange_n(&s.v, &cur, (T)(cur + 1), 1,                \
                                                __ATOMIC_SEQ_CST, __ATOMIC_RELAXED))         \
                ;                                                                           \
        }                                                                                   \
        CHECK(s.v == (T)100000);                                                            \
    }

#if defined(__aarch64__) /* riscv64 gcc 12 calls libatomic for these */
WIDTH_TESTS(uint8_t, u8)
WIDTH_TESTS(uint16_t, u16)
#endif
WIDTH_TESTS(uint32_t, u32)
WIDTH_TESTS(uint64_t, u64)

#if defined(__aarch64__)
/* 128-bit compare-and-swap as an LDXP/STXP loop (gcc 12 calls libatomic for __int128). */
static int cas128(uint64_t *p, uint64_t *elo, uint64_t *ehi, uint64_t nlo, uint64_t nhi) {
    uint64_t lo, hi, fail;
    __asm__ volatile("1: ldaxp %0, %1, [%3]\n"
                     "   cmp %0, %4\n"
                     "   ccmp %1, %5, #0, eq\n"
                     "   b.ne 2f\n"
                     "   stlxp %w2, %6, %7, [%3]\n"
                     "   cbnz %w2, 1b\n"
                     "   b 3f\n"
                     "2: stlxp %w2, %0, %1, [%3]\n" /* write back what was read: ends the exclusive */
                     "   cbnz %w2, 1b\n"
                     "   mov %w2, #1\n"
                     "3:\n"
                     : "=&r"(lo), "=&r"(hi), "=&r"(fail)
                     : "r"(p), "r"(*elo), "r"(*ehi), "r"(nlo), "r"(nhi)
                     : "cc", "memory");
    int ok = lo == *elo && hi == *ehi;
    *elo = lo;
    *ehi = hi;
    return ok;
}
#endif

static void test_u128(void) {
#if defined(__aarch64__)
    static uint64_t v[2] __attribute__((aligned(16)));
    v[0] = 0xfedcba9876543210ull, v[1] = 0x0123456789abcdefull;
    uint64_t lo = v[0], hi = v[1];
    CHECK(cas128(v, &lo, &hi, 0x3333333344444444ull, 0x1111111122222222ull));
    CHECK(v[0] == 0x3333333344444444ull && v[1] == 0x1111111122222222ull);
    lo = 0xfedcba9876543210ull, hi = 0x0123456789abcdefull;
    CHECK(!cas128(v, &lo, &hi, 1, 2));
    CHECK(lo == 0x3333333344444444ull && hi == 0x1111111122222222ull && v[0] == lo && v[1] == hi);
    /* Same low half, different high half: must fail. */
    hi = 0x99;
    CHECK(!cas128(v, &lo, &hi, 1, 2) && v[0] == 0x3333333344444444ull && v[1] == 0x1111111122222222ull);
    for (int i = 0; i < 100000; i++) { /* CAS-increment of the pair as one 128-bit counter */
        lo = v[0], hi = v[1];
        while (!cas128(v, &lo, &hi, lo + 1, hi + (lo + 1 == 0)))
            ;
    }
    CHECK(v[0] == 0x3333333344444444ull + 100000 && v[1] == 0x1111111122222222ull);
#endif
}

int main(void) {
#if defined(__aarch64__)
    test_u8();
    test_u16();
#endif
    test_u32();
    test_u64();
    test_u128();
    return finish("atomics");
}
