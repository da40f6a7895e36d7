/* Workload: 128x128 integer matrix multiply: loads, multiplies, adds in tight loops. */
#include "common.h"

enum { N = 128 };
static int32_t A[N][N], B[N][N], C[N][N];

int main(int argc, char **argv) {
    long n = iters(argc, argv, 128);
    uint64_t s = 5, h = 0;
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) { A[i][j] = (int32_t)(rnd(&s) % 1000); B[i][j] = (int32_t)(rnd(&s) % 1000); }
    for (long r = 0; r < n; r++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                int32_t acc = 0;
                for (int k = 0; k < N; k++) acc += A[i][k] * B[k][j];
                C[i][j] = acc;
            }
        h = mix64(h, (uint64_t)C[r % N][(r * 7) % N]);
        A[r % N][0] += 1;
    }
    printf("matmul %016llx\n", (unsigned long long)h);
    return 0;
}
