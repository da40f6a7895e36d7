/* Integer edge cases: the ISA's division by zero (AArch64 SDIV/UDIV give 0; RISC-V DIV gives -1,
 * DIVU all ones, REM/REMU the dividend) and INT_MIN / -1 via inline assembly, in 64 and 32 bits;
 * -fwrapv wrap-around; shifts by amounts at and past the width (register shift amounts are taken
 * modulo the width by both ISAs); high multiplies; bit counting; sign and zero extension. */
// test-cflags: -fwrapv
#include "check.h"
#include <limits.h>
#include <stdint.h>

/* The optimiser must not see constants: these go through memory. */
static volatile int64_t v_min = INT64_MIN, v_m1 = -1, v_zero = 0, v_seven = 7, v_neg = -7;
static volatile int32_t w_min = INT32_MIN, w_m1 = -1, w_zero = 0, w_seven = 7;

static int64_t sdiv64(int64_t a, int64_t b) {
    int64_t r;
#if defined(__aarch64__)
    __asm__("sdiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#else
    __asm__("div %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#endif
    return r;
}

static uint64_t udiv64(uint64_t a, uint64_t b) {
    uint64_t r;
#if defined(__aarch64__)
    __asm__("udiv %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#else
    __asm__("divu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#endif
    return r;
}

/* Remainder: RISC-V has rem/remu; AArch64 computes it as a - (a / b) * b with msub. */
static int64_t srem64(int64_t a, int64_t b) {
    int64_t r;
#if defined(__aarch64__)
    int64_t q;
    __asm__("sdiv %1, %2, %3\n\tmsub %0, %1, %3, %2" : "=r"(r), "=&r"(q) : "r"(a), "r"(b));
#else
    __asm__("rem %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#endif
    return r;
}

static uint64_t urem64(uint64_t a, uint64_t b) {
    uint64_t r;
#if defined(__aarch64__)
    uint64_t q;
    __asm__("udiv %1, %2, %3\n\tmsub %0, %1, %3, %2" : "=r"(r), "=&r"(q) : "r"(a), "r"(b));
#else
    __asm__("remu %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
#endif
    return r;
}

static int32_t sdiv32(int32_t a, int32_t b) {
    int64_t r;
#if defined(__aarch64__)
    int32_t r32;
    __asm__("sdiv %w0, %w1, %w2" : "=r"(r32) : "r"(a), "r"(b));
    r = r32;
#else
    __asm__("divw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    CHECK(r == (int32_t)r); /* W-form results are sign-extended */
#endif
    return (int32_t)r;
}

static int32_t srem32(int32_t a, int32_t b) {
#if defined(__aarch64__)
    int32_t r, q;
    __asm__("sdiv %w1, %w2, %w3\n\tmsub %w0, %w1, %w3, %w2" : "=r"(r), "=&r"(q) : "r"(a), "r"(b));
    return r;
#else
    int64_t r;
    __asm__("remw %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
    CHECK(r == (int32_t)r);
    return (int32_t)r;
#endif
}

static uint64_t shl_reg(uint64_t a, uint64_t n) {
    uint64_t r;
#if defined(__aarch64__)
    __asm__("lsl %0, %1, %2" : "=r"(r) : "r"(a), "r"(n));
#else
    __asm__("sll %0, %1, %2" : "=r"(r) : "r"(a), "r"(n));
#endif
    return r;
}

static int64_t sar_reg(int64_t a, uint64_t n) {
    int64_t r;
#if defined(__aarch64__)
    __asm__("asr %0, %1, %2" : "=r"(r) : "r"(a), "r"(n));
#else
    __asm__("sra %0, %1, %2" : "=r"(r) : "r"(a), "r"(n));
#endif
    return r;
}

static uint32_t shr32_reg(uint32_t a, uint64_t n) {
#if defined(__aarch64__)
    uint32_t r;
    __asm__("lsr %w0, %w1, %w2" : "=r"(r) : "r"(a), "r"(n));
    return r;
#else
    int64_t r;
    __asm__("srlw %0, %1, %2" : "=r"(r) : "r"(a), "r"(n));
    return (uint32_t)r;
#endif
}

int main(void) {
#if defined(__aarch64__)
    const int64_t div0 = 0, rem0_is_dividend = 1;
    const uint64_t udiv0 = 0;
#else
    const int64_t div0 = -1, rem0_is_dividend = 1;
    const uint64_t udiv0 = UINT64_MAX;
#endif
    CHECKF(sdiv64(v_seven, v_zero) == div0, "%lld", (long long)sdiv64(v_seven, v_zero));
    CHECKF(sdiv64(v_neg, v_zero) == div0, "%lld", (long long)sdiv64(v_neg, v_zero));
    CHECKF(udiv64((uint64_t)v_seven, (uint64_t)v_zero) == udiv0, "%llu",
           (unsigned long long)udiv64((uint64_t)v_seven, (uint64_t)v_zero));
    CHECK(rem0_is_dividend && srem64(v_neg, v_zero) == -7);
    CHECK(urem64((uint64_t)v_seven, (uint64_t)v_zero) == 7);
    CHECK(sdiv64(v_min, v_m1) == INT64_MIN);
    CHECK(srem64(v_min, v_m1) == 0);
    CHECK(sdiv32(w_seven, w_zero) == (int32_t)div0);
    CHECK(sdiv32(w_min, w_m1) == INT32_MIN);
    CHECK(srem32(w_min, w_m1) == 0);
    CHECK(srem32(w_seven, w_zero) == 7);
    CHECK(sdiv64(v_neg, 2) == -3 && srem64(v_neg, 2) == -1); /* truncation toward zero */
    CHECK(udiv64(UINT64_MAX, 3) == 0x5555555555555555ULL);
    printf("division by zero and INT_MIN/-1 behave as the ISA says\n");

    /* -fwrapv: signed overflow wraps */
    volatile int imax = INT_MAX;
    volatile long long lmax = LLONG_MAX;
    int wrapped = imax + 1;
    long long lwrapped = lmax + 1;
    CHECK(wrapped == INT_MIN && lwrapped == LLONG_MIN);
    CHECK(-w_min == INT32_MIN);
    CHECK(imax * 2 == -2);
    volatile unsigned um = UINT_MAX;
    CHECK(um + 1 == 0 && (unsigned)(0u - 1u) == UINT_MAX);
    int ovf;
    CHECK(__builtin_add_overflow(imax, 1, &ovf) && ovf == INT_MIN);
    CHECK(__builtin_mul_overflow((long long)lmax, 2, &lwrapped));
    CHECK(!__builtin_sub_overflow(0, imax, &ovf) && ovf == -INT_MAX);

    /* register shift amounts are taken modulo the width */
    CHECK(shl_reg(1, 64) == 1 && shl_reg(1, 65) == 2 && shl_reg(1, 63) == 0x8000000000000000ULL);
    CHECK(sar_reg(INT64_MIN, 63) == -1 && sar_reg(INT64_MIN, 64) == INT64_MIN && sar_reg(-16, 2) == -4);
    CHECK(shr32_reg(0x80000000u, 31) == 1 && shr32_reg(0x80000000u, 32) == 0x80000000u);
    CHECK(shr32_reg(0x80000000u, 33) == 0x40000000u);
    volatile int sh = 31;
    CHECK((1u << sh) == 0x80000000u && ((int32_t)0x80000000 >> sh) == -1);

    /* high multiplies and 128-bit arithmetic */
    volatile uint64_t big = 0xfedcba9876543210ULL;
    unsigned __int128 p = (unsigned __int128)big * big;
    __int128 sp = (__int128)(int64_t)big * (int64_t)big;
    printf("umulh %016llx lo %016llx smulh %016llx\n", (unsigned long long)(p >> 64), (unsigned long long)p,
           (unsigned long long)(sp >> 64));
    unsigned __int128 q = p / 12345;
    printf("u128 / 12345 = %016llx%016llx rem %llu\n", (unsigned long long)(q >> 64), (unsigned long long)q,
           (unsigned long long)(p % 12345));

    /* bit counting, byte swaps, extension */
    volatile uint64_t bits = 0x00f0000000000100ULL;
    printf("clz %d ctz %d popcount %d clz32 %d parity %d\n", __builtin_clzll(bits), __builtin_ctzll(bits),
           __builtin_popcountll(bits), __builtin_clz((uint32_t)bits), __builtin_parityll(bits));
    printf("bswap64 %016llx bswap32 %08x bswap16 %04x\n", (unsigned long long)__builtin_bswap64(big),
           __builtin_bswap32((uint32_t)big), __builtin_bswap16((uint16_t)big));
    volatile uint8_t b8 = 0x80;
    volatile uint16_t b16 = 0x8001;
    volatile uint32_t b32 = 0x80000001u;
    printf("sext8 %lld sext16 %lld sext32 %lld zext32 %llu\n", (long long)(int8_t)b8, (long long)(int16_t)b16,
           (long long)(int32_t)b32, (unsigned long long)b32);
    volatile int64_t x = -5;
    printf("-5 / 2 = %lld, -5 %% 2 = %lld, -5 >> 1 = %lld, (uint64)-5 >> 60 = %llu\n", (long long)(x / 2),
           (long long)(x % 2), (long long)(x >> 1), (unsigned long long)((uint64_t)x >> 60));
    return finish("intedge");
}
