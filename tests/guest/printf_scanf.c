/* printf and scanf of integers and doubles: widths, flags, precision, %d %i %u %x %o %c %s %p-free
 * forms, 64-bit extremes, %f %e %g %a of ordinary, tiny, huge, subnormal, signed-zero, infinite
 * and NaN values; snprintf truncation; sscanf/strtod/strtol round trips incl. hex floats. The
 * output is golden: it must be identical on both guests and under qemu. */
// test-cflags: -Wno-format-truncation
#include "check.h"
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

int main(void) {
    volatile double zero = 0.0;
    int ints[] = {0, 1, -1, 42, -42, 255, 65535, INT_MAX, INT_MIN};
    for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        int v = ints[i];
        printf("[%d] [%i] [%u] [%x] [%X] [%o] [%+d] [%5d] [%-5d] [%05d] [%#x] [%#o] [% d] [%.3d]\n", v, v,
               (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, v, v, v, v, (unsigned)v, (unsigned)v, v, v);
    }
    long long lls[] = {LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL, -1};
    for (int i = 0; i < 4; i++)
        printf("[%lld] [%llu] [%llx] [%20lld] [%-20lld|]\n", lls[i], (unsigned long long)lls[i],
               (unsigned long long)lls[i], lls[i], lls[i]);
    printf("[%hhd] [%hd] [%hhu] [%hu] [%zu] [%jd] [%td]\n", (signed char)200, (short)70000, (unsigned char)300,
           (unsigned short)70000, (size_t)12345, (intmax_t)-7, (ptrdiff_t)-9);
    printf("[%c] [%5c] [%s] [%10s] [%-10s] [%.3s] [%*d] [%-*d] [%.*f]\n", 'x', 'y', "str", "right", "left",
           "truncate", 6, 42, 6, 42, 2, 3.14159);

    double ds[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1.0 / 3.0, 2.5, 1e10, 1.5e-7, 123456789.125, 1e300, -1e-300,
                   DBL_MAX, DBL_MIN, 4.9406564584124654e-324, 5e-310, M_PI, 1e21, 9.999999e15};
    for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
        double d = ds[i];
        printf("%.17g | %f | %e | %g | %a | %.3f | %10.4e | %-12g| %+.0f | %#.0e\n", d, d, d, d, d, d, d, d, d, d);
    }
    double special[] = {INFINITY, -INFINITY, zero / zero, -(zero / zero), NAN};
    for (int i = 0; i < 5; i++)
        printf("%f %e %g %a %5.1f %F %E %G\n", special[i], special[i], special[i], special[i], special[i],
               special[i], special[i], special[i]);
    float f = 1.1f;
    printf("float %f %.9g %a\n", f, f, f);
    long double ld = 1.0L / 3.0L;
    printf("long double %.30Lf %La\n", ld, ld);

    char small[8];
    int n = snprintf(small, sizeof small, "%d-%s", 123456, "abcdef");
    printf("snprintf -> %d \"%s\"\n", n, small);
    CHECK(n == 13 && strcmp(small, "123456-") == 0);

    int a, b;
    unsigned u;
    long long ll;
    char word[16];
    double d1, d2;
    float f1;
    CHECK(sscanf("  -17 0x1f 077 word", "%d %x %o %15s", &a, &u, &b, word) == 4);
    CHECK(a == -17 && u == 31 && b == 63 && strcmp(word, "word") == 0);
    CHECK(sscanf("0x1f 010 12", "%i %i %i", &a, &b, (int *)&u) == 3 && a == 31 && b == 8 && u == 12);
    CHECK(sscanf("-9223372036854775808", "%lld", &ll) == 1 && ll == LLONG_MIN);
    CHECK(sscanf("3.25 -1e-5 0.1", "%lf %lf %f", &d1, &d2, &f1) == 3);
    CHECK(d1 == 3.25 && d2 == -1e-5 && f1 == 0.1f);
    CHECK(sscanf("0x1.8p3 inf nan", "%lf %lf %lf", &d1, &d2, &d2) == 3 && d1 == 12.0 && isnan(d2));
    CHECK(sscanf("12abc", "%d%n", &a, &b) == 1 && a == 12 && b == 2);
    CHECK(sscanf("", "%d", &a) == EOF);
    CHECK(sscanf("x", "%d", &a) == 0);
    char *end;
    CHECK(strtod("4.9406564584124654e-324", &end) == 4.9406564584124654e-324 && *end == 0);
    CHECK(strtod("1e400", NULL) == INFINITY);
    CHECK(strtod("0.1", NULL) == 0.1 && strtod("2.2250738585072014e-308", NULL) == DBL_MIN);
    CHECK(strtol("-0x7fffffff", NULL, 16) == -0x7fffffff && strtoul("777", NULL, 8) == 511);
    CHECK(strtoll("9223372036854775807", NULL, 10) == LLONG_MAX);
    /* round trip: %.17g then strtod is exact */
    unsigned long long seed = 1;
    int exact = 1;
    for (int i = 0; i < 2000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        double x;
        uint64_t bits = seed & 0x7fefffffffffffffULL;
        memcpy(&x, &bits, sizeof x);
        char buf[64];
        snprintf(buf, sizeof buf, "%.17g", x);
        exact &= strtod(buf, NULL) == x;
    }
    CHECK(exact);
    return finish("printf_scanf");
}
