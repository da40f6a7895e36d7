/* qsort and bsearch: integers (random, sorted, reversed, all equal), strings, and structs by a
 * two-key comparator; results checked for order and by checksum. */
#include "check.h"
#include <stdint.h>
#include <string.h>

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

struct rec {
    int key;
    int id;
};

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

static uint32_t rng = 99;
static uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int sorted(const int *v, int n) {
    for (int i = 1; i < n; i++)
        if (v[i - 1] > v[i])
            return 0;
    return 1;
}

int main(void) {
    enum { N = 30000 };
    static int v[N];
    uint64_t sum_before = 0, sum_after = 0;
    for (int i = 0; i < N; i++) {
        v[i] = (int)(next() % 100000) - 50000;
        sum_before += (uint32_t)v[i];
    }
    qsort(v, N, sizeof v[0], cmp_int);
    for (int i = 0; i < N; i++)
        sum_after += (uint32_t)v[i];
    CHECK(sorted(v, N));
    CHECK(sum_before == sum_after);
    printf("ints: min %d median %d max %d\n", v[0], v[N / 2], v[N - 1]);
    int key = v[1234];
    int *hit = bsearch(&key, v, N, sizeof v[0], cmp_int);
    CHECK(hit && *hit == key);
    key = 50001;
    CHECK(bsearch(&key, v, N, sizeof v[0], cmp_int) == NULL);

    qsort(v, N, sizeof v[0], cmp_int); /* already sorted */
    CHECK(sorted(v, N));
    for (int i = 0; i < N; i++)
        v[i] = N - i;
    qsort(v, N, sizeof v[0], cmp_int);
    CHECK(sorted(v, N) && v[0] == 1 && v[N - 1] == N);
    for (int i = 0; i < N; i++)
        v[i] = 7;
    qsort(v, N, sizeof v[0], cmp_int);
    CHECK(v[0] == 7 && v[N - 1] == 7);
    qsort(v, 0, sizeof v[0], cmp_int);
    qsort(v, 1, sizeof v[0], cmp_int);

    static const char *words[] = {"pear", "apple", "fig", "banana", "cherry", "date", "elderberry", "grape",
                                  "kiwi", "lemon", "mango", "nectarine", "orange", "papaya", "quince", "apple",
                                  "Zebra", "", "a", "aa"};
    enum { W = sizeof words / sizeof words[0] };
    const char *ws[W];
    memcpy(ws, words, sizeof ws);
    qsort(ws, W, sizeof ws[0], cmp_str);
    printf("strings:");
    for (int i = 0; i < W; i++)
        printf(" '%s'", ws[i]);
    printf("\n");
    for (int i = 1; i < W; i++)
        CHECK(strcmp(ws[i - 1], ws[i]) <= 0);

    static struct rec recs[5000];
    for (int i = 0; i < 5000; i++) {
        recs[i].key = (int)(next() % 50);
        recs[i].id = i;
    }
    qsort(recs, 5000, sizeof recs[0], cmp_rec);
    int ok = 1;
    for (int i = 1; i < 5000; i++)
        ok &= cmp_rec(&recs[i - 1], &recs[i]) < 0;
    CHECK(ok);
    printf("recs: first (%d,%d) last (%d,%d)\n", recs[0].key, recs[0].id, recs[4999].key, recs[4999].id);
    return finish("qsort");
}
