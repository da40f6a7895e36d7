/* Shared helpers for the benchmark workloads: iteration count from argv, checksum output.
 * Every workload prints one line "name checksum" so remu, qemu-user and native runs can be
 * compared for correctness as well as timed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static inline long iters(int argc, char **argv, long dflt) {
    return argc > 1 ? strtol(argv[1], 0, 10) : dflt;
}

static inline uint64_t mix64(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

/* xorshift64*: deterministic pseudo-random data. */
static inline uint64_t rnd(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
