/* malloc and friends: blocks above the mmap threshold, many small blocks with interleaved frees,
 * realloc growth and shrink (contents kept), calloc zeroing, posix_memalign/aligned_alloc
 * alignment, and a deterministic checksum over everything written. */
#include "check.h"
#include <malloc.h>
#include <stdint.h>
#include <string.h>

static uint64_t sum;

static void mix(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i += 61)
        sum = sum * 1000003u + p[i];
}

static uint32_t rng = 12345;
static uint32_t next(void) {
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

int main(void) {
    /* large blocks: served by mmap (threshold 128 KiB by default) */
    size_t sizes[] = {200 * 1024, 1 << 20, 16 << 20, 32 << 20};
    for (int i = 0; i < 4; i++) {
        unsigned char *p = malloc(sizes[i]);
        CHECK(p != NULL);
        if (!p)
            continue;
        memset(p, 0x5a + i, sizes[i]);
        p[sizes[i] - 1] = (unsigned char)i;
        CHECK(p[0] == 0x5a + i && p[sizes[i] / 2] == 0x5a + i && p[sizes[i] - 1] == i);
        mix(p, sizes[i]);
        free(p);
    }

    /* calloc of a large block must be zero (fresh mmap) and of a recycled small one too */
    unsigned char *z = calloc(3 << 20, 1);
    CHECK(z != NULL);
    int nonzero = 0;
    for (size_t i = 0; z && i < (3u << 20); i += 4093)
        nonzero += z[i] != 0;
    CHECK(nonzero == 0);
    free(z);
    char *dirty = malloc(100);
    memset(dirty, 0xff, 100);
    free(dirty);
    unsigned char *z2 = calloc(100, 1);
    for (int i = 0; i < 100; i++)
        nonzero += z2[i] != 0;
    CHECK(nonzero == 0);
    free(z2);

    /* many small blocks, freed in a scattered order */
    enum { N = 20000 };
    static unsigned char *blocks[N];
    static size_t lens[N];
    for (int i = 0; i < N; i++) {
        lens[i] = 1 + next() % 200;
        blocks[i] = malloc(lens[i]);
        CHECK(blocks[i] != NULL);
        CHECK(((uintptr_t)blocks[i] & 15) == 0);
        memset(blocks[i], i & 0xff, lens[i]);
    }
    for (int i = 0; i < N; i += 2) {
        free(blocks[i]);
        blocks[i] = NULL;
    }
    for (int i = 0; i < N; i += 2) {
        lens[i] = 1 + next() % 500;
        blocks[i] = malloc(lens[i]);
        memset(blocks[i], (i * 3) & 0xff, lens[i]);
    }
    int corrupt = 0;
    for (int i = 0; i < N; i++) {
        unsigned char want = (i & 1) ? (unsigned char)(i & 0xff) : (unsigned char)((i * 3) & 0xff);
        corrupt += blocks[i][0] != want || blocks[i][lens[i] - 1] != want;
        mix(blocks[i], lens[i]);
    }
    CHECK(corrupt == 0);
    for (int i = N - 1; i >= 0; i--)
        free(blocks[i]);

    /* realloc: grow through the mmap threshold and shrink, keeping contents */
    size_t n = 16;
    unsigned char *r = malloc(n);
    for (size_t i = 0; i < n; i++)
        r[i] = (unsigned char)i;
    while (n < (8u << 20)) {
        size_t m = n * 3;
        r = realloc(r, m);
        CHECK(r != NULL);
        int bad = 0;
        for (size_t i = 0; i < n; i += 97)
            bad += r[i] != (unsigned char)i;
        CHECK(bad == 0);
        for (size_t i = n; i < m; i++)
            r[i] = (unsigned char)i;
        n = m;
    }
    r = realloc(r, 1000);
    CHECK(r[999] == (unsigned char)999 && r[500] == (unsigned char)500);
    mix(r, 1000);
    free(r);
    CHECK(realloc(NULL, 10) != NULL);

    /* alignment */
    for (size_t a = 16; a <= 65536; a *= 4) {
        void *p = NULL;
        CHECK(posix_memalign(&p, a, 1000) == 0);
        CHECKF(((uintptr_t)p & (a - 1)) == 0, "align %zu -> %p", a, p);
        free(p);
        p = aligned_alloc(a, a * 2);
        CHECK(p && ((uintptr_t)p & (a - 1)) == 0);
        free(p);
    }
    void *big = malloc((size_t)1 << 62);
    CHECK(big == NULL);
    CHECK(malloc_usable_size(NULL) == 0);

    printf("checksum %016llx\n", (unsigned long long)sum);
    return finish("malloc");
}
