/* Workload: libc string and memory functions (memcpy, memset, memchr, strlen, strcmp, memcmp,
 * strchr) over many sizes and alignments: exercises glibc's SIMD routines. */
#include "common.h"
#include <string.h>

int main(int argc, char **argv) {
    long n = iters(argc, argv, 2000);
    static char a[8192], b[8192];
    uint64_t s = 11, h = 0;
    for (size_t i = 0; i < sizeof a; i++) a[i] = (char)('a' + rnd(&s) % 26);
    for (long r = 0; r < n; r++) {
        for (int len = 1; len < 4000; len += 37) {
            int off = (int)(r + len) & 15;
            memcpy(b + off, a + (len & 7), (size_t)len);
            b[off + len] = 0;
            h = mix64(h, strlen(b + off));
            h = mix64(h, (uint64_t)(strchr(b + off, 'z') ? 1 : 0));
            h = mix64(h, (uint64_t)(memchr(b + off, 'q', (size_t)len) != 0));
            h = mix64(h, (uint64_t)(memcmp(a + (len & 7), b + off, (size_t)len) == 0));
            h = mix64(h, (uint64_t)(strcmp(b + off, a) < 0));
            memset(b + off, 'x', (size_t)len);
        }
    }
    printf("strings %016llx\n", (unsigned long long)h);
    return 0;
}
