/* Floating point: arithmetic in double and float printed exactly, float<->int conversions
 * including out-of-range saturation and NaN via inline FCVTZS/FCVTZU (AArch64) and
 * FCVT.W.D/FCVT.WU.D/FCVT.L.D (RISC-V, where NaN converts to the maximum), rint/floor/ceil/
 * round/trunc, sqrt, fma, the four rounding modes (fesetround + rint and division), the
 * exception flags (fetestexcept), and the sign of the default NaN (positive on both guests,
 * negative on x86: printf shows "nan" vs "-nan"). */
// test-cflags: -frounding-math -fsignaling-nans
#include "check.h"
#include <fenv.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static volatile double vd[] = {0.0, 1.0, -1.0, 0.5, 1.5, 2.5, -2.5, -0.5, 3.7, -3.7, 1e10, -1e10, 4294967296.0,
                               9.3e18, -9.3e18, 1e30};

static int32_t cvt_w(double d) {
#if defined(__aarch64__)
    int32_t r;
    __asm__ volatile("fcvtzs %w0, %d1" : "=r"(r) : "w"(d));
    return r;
#else
    int64_t r;
    __asm__ volatile("fcvt.w.d %0, %1, rtz" : "=r"(r) : "f"(d));
    return (int32_t)r;
#endif
}

static uint32_t cvt_wu(double d) {
#if defined(__aarch64__)
    uint32_t r;
    __asm__ volatile("fcvtzu %w0, %d1" : "=r"(r) : "w"(d));
    return r;
#else
    int64_t r;
    __asm__ volatile("fcvt.wu.d %0, %1, rtz" : "=r"(r) : "f"(d));
    return (uint32_t)r;
#endif
}

static int64_t cvt_l(double d) {
    int64_t r;
#if defined(__aarch64__)
    __asm__ volatile("fcvtzs %0, %d1" : "=r"(r) : "w"(d));
#else
    __asm__ volatile("fcvt.l.d %0, %1, rtz" : "=r"(r) : "f"(d));
#endif
    return r;
}

static double bits_to_d(uint64_t b) {
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static uint64_t d_to_bits(double d) {
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

int main(void) {
    volatile double zero = 0.0, one = 1.0, three = 3.0, tenth = 0.1;
    printf("1/3 = %.17g\n", one / three);
    printf("0.1+0.2 = %.17g\n", tenth + 0.2);
    printf("0.1*3 = %.17g\n", tenth * 3);
    printf("1e308*10 = %g, -1e308*10 = %g\n", 1e308 * (tenth * 100), -1e308 * (tenth * 100));
    printf("DBL_MIN/2 = %a (subnormal)\n", DBL_MIN / (one + one));
    volatile float f3 = 3.0f, f1 = 1.0f;
    printf("float 1/3 = %.9g, float sum %.9g\n", f1 / f3, (double)(f1 / f3 + 16777216.0f));
    printf("double->float %.9g float->double %.17g\n", (double)(float)(one / three), (double)(f1 / f3));

    /* default NaN: 0/0, inf-inf, sqrt(-1) are positive quiet NaNs on both guests */
    double n1 = zero / zero, n2 = (one / zero) - (one / zero), n3 = sqrt(-one);
    printf("0/0 %f  inf-inf %f  sqrt(-1) %f  bits %016llx\n", n1, n2, n3, (unsigned long long)d_to_bits(n1));
    CHECK(isnan(n1) && isnan(n2) && isnan(n3));
    volatile float fz = 0.0f;
    float fn = fz / fz;
    uint32_t fbits;
    memcpy(&fbits, &fn, 4);
    printf("float 0/0 bits %08x\n", fbits);

    /* conversions in C (in range) */
    for (unsigned i = 0; i < 10; i++)
        printf("(long)%g = %ld  lrint %ld  llround %lld\n", vd[i], (long)vd[i], lrint(vd[i]), llround(vd[i]));
    volatile int64_t i64 = (1LL << 53) + 1;
    volatile uint64_t u64 = UINT64_MAX;
    printf("(double)(2^53+1) = %.17g  (double)UINT64_MAX = %.17g  (float)UINT64_MAX = %.9g\n", (double)i64,
           (double)u64, (double)(float)u64);
    printf("(double)INT64_MIN = %.17g  (float)16777217 = %.9g\n", (double)(int64_t)INT64_MIN,
           (double)(float)(int32_t)16777217);

    /* saturating conversions through the ISA's instructions */
    double specials[] = {1e10, -1e10, 3e9, -1.0, 1e30, -1e30, INFINITY, -INFINITY, n1, 2147483647.9, -2147483648.9};
    for (unsigned i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        double d = specials[i];
        printf("cvt %g: w %d wu %u l %lld\n", d, cvt_w(d), cvt_wu(d), (long long)cvt_l(d));
    }
#if defined(__aarch64__)
    CHECK(cvt_w(n1) == 0 && cvt_l(n1) == 0 && cvt_wu(n1) == 0);
#else
    CHECK(cvt_w(n1) == INT32_MAX && cvt_l(n1) == INT64_MAX && cvt_wu(n1) == UINT32_MAX);
#endif
    CHECK(cvt_w(1e10) == INT32_MAX && cvt_w(-1e10) == INT32_MIN && cvt_wu(-1.0) == 0);

    /* rounding functions */
    for (unsigned i = 0; i < 10; i++) {
        double d = vd[i];
        printf("%5g: rint %g floor %g ceil %g round %g trunc %g nearbyint %g\n", d, rint(d), floor(d), ceil(d),
               round(d), trunc(d), nearbyint(d));
    }
    printf("sqrt(2) %.17g sqrtf(2) %.9g cbrt(27) %.17g hypot(3,4) %.17g\n", sqrt(one * 2), (double)sqrtf(f1 * 2),
           cbrt(three * 9), hypot(three, one * 4));
    printf("fma(0.1,10,-1) %a  0.1*10-1 %a\n", fma(tenth, 10, -one), tenth * 10 - one);
    printf("fmin/fmax %g %g copysign %g fabs %g\n", fmin(n1, one), fmax(-one, n1), copysign(three, -zero),
           fabs(-three));
    printf("exp(1) %.17g log(10) %.17g sin(1) %.17g pow(2,0.5) %.17g\n", exp(one), log(one * 10), sin(one),
           pow(2, tenth * 5));

    /* rounding modes */
    int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
    const char *names[] = {"nearest", "upward", "downward", "towardzero"};
    for (int m = 0; m < 4; m++) {
        CHECK(fesetround(modes[m]) == 0);
        CHECK(fegetround() == modes[m]);
        printf("%-10s rint(2.5) %g rint(-2.5) %g rint(3.5) %g 1/3 %a -1/3 %a (float)(1/3) %a lrint(-1.5) %ld\n",
               names[m], rint(vd[5]), rint(vd[6]), rint(vd[5] + 1), one / three, -one / three,
               (double)(float)(one / three), lrint(-1.5 * one));
    }
    fesetround(FE_TONEAREST);

    /* exception flags */
    volatile double r;
    feclearexcept(FE_ALL_EXCEPT);
    CHECK(fetestexcept(FE_ALL_EXCEPT) == 0);
    r = one / zero;
    printf("1/0: divbyzero %d invalid %d\n", !!fetestexcept(FE_DIVBYZERO), !!fetestexcept(FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
    r = zero / zero;
    printf("0/0: invalid %d divbyzero %d\n", !!fetestexcept(FE_INVALID), !!fetestexcept(FE_DIVBYZERO));
    feclearexcept(FE_ALL_EXCEPT);
    r = one / three;
    printf("1/3: inexact %d invalid %d\n", !!fetestexcept(FE_INEXACT), !!fetestexcept(FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MAX * (one + one);
    printf("DBL_MAX*2: overflow %d inexact %d\n", !!fetestexcept(FE_OVERFLOW), !!fetestexcept(FE_INEXACT));
    feclearexcept(FE_ALL_EXCEPT);
    r = DBL_MIN * tenth;
    printf("DBL_MIN*0.1: underflow %d inexact %d\n", !!fetestexcept(FE_UNDERFLOW), !!fetestexcept(FE_INEXACT));
    feclearexcept(FE_ALL_EXCEPT);
    r = one + one;
    printf("1+1: any flag %d\n", fetestexcept(FE_ALL_EXCEPT) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    (void)cvt_w(1e10);
    printf("cvt 1e10 to w: invalid %d\n", !!fetestexcept(FE_INVALID));
    feclearexcept(FE_ALL_EXCEPT);
    r = sqrt(-one);
    (void)r;
    printf("sqrt(-1): invalid %d\n", !!fetestexcept(FE_INVALID));

    /* signalling NaN in, quiet NaN out */
    double snan = bits_to_d(0x7ff0000000000001ULL);
    volatile double vs = snan;
    feclearexcept(FE_ALL_EXCEPT);
    volatile double q = vs + one;
    printf("sNaN+1 bits %016llx invalid %d\n", (unsigned long long)d_to_bits(q), !!fetestexcept(FE_INVALID));
    return finish("fparith");
}
