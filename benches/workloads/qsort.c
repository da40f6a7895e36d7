/* Workload: libc qsort of 200k integers with a comparator called through a function pointer
 * (indirect calls and returns dominate). */
#include "common.h"

static int cmp(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long n = iters(argc, argv, 2);
    enum { N = 200000 };
    static uint32_t v[N];
    uint64_t h = 0, s = 3;
    for (long r = 0; r < n; r++) {
        for (int i = 0; i < N; i++) v[i] = (uint32_t)rnd(&s);
        qsort(v, N, sizeof v[0], cmp);
        for (int i = 1; i < N; i++)
            if (v[i - 1] > v[i]) { puts("qsort FAIL: not sorted"); return 1; }
        h = mix64(h, v[0]) ^ v[N / 2] ^ v[N - 1];
    }
    printf("qsort %016llx\n", (unsigned long long)h);
    return 0;
}
