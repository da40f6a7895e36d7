/* Workload: call-heavy recursion (naive Fibonacci and Ackermann): direct calls and returns. */
#include "common.h"

__attribute__((noinline)) static long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

__attribute__((noinline)) static long ack(long m, long n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

int main(int argc, char **argv) {
    long n = iters(argc, argv, 10);
    long f = 0, a = 0;
    for (long r = 0; r < n; r++) {
        f += fib(27);
        a += ack(2, 2000);
    }
    printf("recursive %ld %ld\n", f, a);
    return 0;
}
