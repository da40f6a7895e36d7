/* String and memory functions on every alignment: memcpy, memmove (overlapping both ways), memset,
 * memcmp, memchr, strlen, strchr, strrchr, strcmp, strncmp, strcpy, strstr over source/destination
 * offsets 0..31 and lengths 0..300, each checked against a naive byte loop. Optimised libc
 * versions use wide vector loads and page-crossing tricks, so this exercises SIMD and masking. */
#include "check.h"
#include <string.h>
#include <sys/mman.h>

#define BUF 1024
static unsigned char a[BUF], b[BUF], c[BUF];

static void fill(unsigned char *p, size_t n, unsigned seed) {
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        p[i] = (unsigned char)((seed >> 24) | 1); /* never 0: a string unless terminated */
    }
}

static int sign(int x) {
    return (x > 0) - (x < 0);
}

static int naive_memcmp(const unsigned char *x, const unsigned char *y, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
    return 0;
}

static int naive_strcmp(const unsigned char *x, const unsigned char *y, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (x[i] != y[i])
            return x[i] < y[i] ? -1 : 1;
        if (!x[i])
            return 0;
    }
    return 0;
}

static size_t lengths[80];
static int nlengths;

int main(void) {
    for (int l = 0; l <= 40; l++)
        lengths[nlengths++] = l;
    for (int l = 41; l <= 300; l += (l < 140 ? 7 : 23))
        lengths[nlengths++] = l;
    lengths[nlengths++] = 256;
    lengths[nlengths++] = 300;
    long checks = 0;

    for (int so = 0; so < 32; so++) {
        for (int li = 0; li < nlengths; li++) {
            size_t n = lengths[li];
            int dofs[3] = {so, (so * 7 + 3) & 31, 31 - so};
            for (int k = 0; k < 3; k++) {
                int dof = dofs[k];
                fill(a, BUF, (unsigned)(so * 1000 + n));
                memset(b, 0xee, BUF);
                /* memcpy */
                memcpy(b + dof, a + so, n);
                CHECKF(naive_memcmp(b + dof, a + so, n) == 0 && b[dof + n] == 0xee && (dof == 0 || b[dof - 1] == 0xee),
                       "memcpy so=%d dof=%d n=%zu", so, dof, n);
                /* memset */
                memset(c, 0x11, BUF);
                memset(c + dof, so, n);
                int bad = c[dof + n] != 0x11 || (dof && c[dof - 1] != 0x11);
                for (size_t i = 0; i < n; i++)
                    bad |= c[dof + i] != so;
                CHECKF(!bad, "memset dof=%d n=%zu", dof, n);
                /* memcmp: equal, then a difference at each of a few positions */
                CHECK(memcmp(b + dof, a + so, n) == 0);
                if (n) {
                    size_t pos[3] = {0, n / 2, n - 1};
                    for (int p = 0; p < 3; p++) {
                        unsigned char save = b[dof + pos[p]];
                        b[dof + pos[p]] = (unsigned char)(save + 0x80);
                        CHECKF(sign(memcmp(b + dof, a + so, n)) == naive_memcmp(b + dof, a + so, n),
                               "memcmp so=%d dof=%d n=%zu pos=%zu", so, dof, n, pos[p]);
                        b[dof + pos[p]] = save;
                    }
                }
                checks += 6;
            }
            /* memmove overlapping forwards and backwards by a few distances */
            int dists[4] = {1, 3, 8, 17};
            for (int k = 0; k < 4; k++) {
                for (int dir = -1; dir <= 1; dir += 2) {
                    fill(a, BUF, (unsigned)(n * 31 + so));
                    memcpy(c, a, BUF);
                    unsigned char *src = a + 64 + so, *dst = src + dir * dists[k];
                    memmove(dst, src, n);
                    /* reference: copy through a temporary */
                    unsigned char tmp[BUF];
                    memcpy(tmp, c + 64 + so, n);
                    memcpy(c + 64 + so + dir * dists[k], tmp, n);
                    CHECKF(naive_memcmp(a, c, BUF) == 0, "memmove so=%d n=%zu d=%d", so, n, dir * dists[k]);
                    checks++;
                }
            }
            /* string functions: a NUL-terminated string of length n at offset so */
            fill(a, BUF, (unsigned)(n + 7 * so));
            a[so + n] = 0;
            const char *s = (const char *)a + so;
            CHECKF(strlen(s) == n, "strlen so=%d n=%zu got %zu", so, n, strlen(s));
            /* strchr/strrchr/memchr for a byte that occurs at a known place */
            if (n) {
                size_t first = n / 3, last = n - 1 - (n / 5);
                if (last < first)
                    last = first;
                for (size_t i = 0; i < n; i++)
                    if (a[so + i] == 0x01)
                        a[so + i] = 0x03;
                a[so + first] = 0x01;
                a[so + last] = 0x01;
                CHECKF(strchr(s, 0x01) == s + first, "strchr so=%d n=%zu", so, n);
                CHECKF(strrchr(s, 0x01) == s + last, "strrchr so=%d n=%zu", so, n);
                CHECKF(memchr(s, 0x01, n) == s + first, "memchr so=%d n=%zu", so, n);
                CHECK(memchr(s, 0x01, first) == NULL);
            }
            CHECK(strchr(s, 0) == s + n);
            CHECK(strchr(s, 0x02 | 0x100) == strchr(s, 0x02));
            /* strcpy and strcmp/strncmp against a copy at another alignment */
            int dof = (so * 5 + 1) & 31;
            memset(b, 0xee, BUF);
            CHECK(strcpy((char *)b + dof, s) == (char *)b + dof);
            CHECK(naive_memcmp(b + dof, a + so, n + 1) == 0 && b[dof + n + 1] == 0xee);
            CHECK(strcmp((char *)b + dof, s) == 0);
            if (n) {
                size_t pos = (n * 2) / 3;
                b[dof + pos] ^= 0x40;
                CHECKF(sign(strcmp((char *)b + dof, s)) == naive_strcmp(b + dof, a + so, n + 1),
                       "strcmp so=%d dof=%d n=%zu", so, dof, n);
                CHECK(strncmp((char *)b + dof, s, pos) == 0);
                CHECK(sign(strncmp((char *)b + dof, s, pos + 1)) == naive_strcmp(b + dof, a + so, pos + 1));
                b[dof + pos] = 0; /* shorter string compares less */
                CHECK(strcmp((char *)b + dof, s) < 0 && strcmp(s, (char *)b + dof) > 0);
            }
            /* strstr: a needle cut from the end of the haystack */
            if (n >= 4) {
                size_t nl = n < 12 ? n / 2 : 6;
                char needle[16];
                memcpy(needle, s + n - nl, nl);
                needle[nl] = 0;
                const char *naive = NULL;
                for (size_t i = 0; i + nl <= n && !naive; i++)
                    if (memcmp(s + i, needle, nl) == 0)
                        naive = s + i;
                CHECKF(strstr(s, needle) == naive, "strstr so=%d n=%zu", so, n);
                needle[0] ^= 0x80;
                needle[nl - 1] = 0x02;
                const char *naive2 = NULL;
                for (size_t i = 0; i + nl <= n && !naive2; i++)
                    if (memcmp(s + i, needle, nl) == 0)
                        naive2 = s + i;
                CHECK(strstr(s, needle) == naive2);
            }
            checks += 10;
        }
    }
    /* Strings that end right before an inaccessible page: vector loads must not fault. */
    unsigned char *pg = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(pg != MAP_FAILED && mprotect(pg + 4096, 4096, PROT_NONE) == 0);
    for (size_t n = 0; n < 80; n++) {
        char *s = (char *)pg + 4096 - n - 1;
        memset(s, 'q', n);
        s[n] = 0;
        CHECK(strlen(s) == n);
        CHECK(strchr(s, 'z') == NULL && strrchr(s, 'q') == (n ? s + n - 1 : NULL));
        CHECK(memchr(s, 'z', n + 1) == NULL);
        CHECK(strcmp(s, s) == 0);
        memcpy(b, s, n + 1);
        CHECK(strcmp((char *)b, s) == 0 && memcmp(b, s, n + 1) == 0);
        checks += 6;
    }
    munmap(pg, 8192);
    printf("%ld checks\n", checks);
    return finish("strings");
}
