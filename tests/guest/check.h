/* Self-checking helpers shared by the guest programs in tests/guest: CHECK prints a FAIL line
 * with the location and keeps going; finish() prints a summary and gives the exit status. */
#ifndef REMU_CHECK_H
#define REMU_CHECK_H
#include <stdio.h>
#include <stdlib.h>

static int check_failures;

#define CHECK(cond)                                                                   \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("FAIL: %s:%d: %s\n", __FILE__, __LINE__, #cond);                   \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

/* CHECKF(cond, fmt, ...): like CHECK, with details printed on failure. */
#define CHECKF(cond, ...)                                                             \
    do {                                                                              \
        if (!(cond)) {                                                                \
            printf("FAIL: %s:%d: %s: ", __FILE__, __LINE__, #cond);                   \
            printf(__VA_ARGS__);                                                      \
            printf("\n");                                                             \
            check_failures++;                                                         \
        }                                                                             \
    } while (0)

static inline int finish(const char *name) {
    if (check_failures) {
        printf("%s: %d checks FAILED\n", name, check_failures);
        fflush(stdout);
        return 1;
    }
    printf("%s: ok\n", name);
    fflush(stdout);
    return 0;
}
#endif
