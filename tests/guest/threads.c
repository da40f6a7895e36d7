/* POSIX threads: create/join with return values, a mutex-protected counter, C11 atomics
 * (LDXR/STXR or LSE on aarch64, LR/SC or AMO on riscv64), a condition variable handshake,
 * thread-local storage (TPIDR_EL0 / tp per thread) and pthread_once. */
// test-cflags: -pthread
#include "check.h"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

enum { THREADS = 4, ITERS = 20000 };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static atomic_long acounter;
static _Thread_local int tls_value;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static atomic_int once_calls;

static void init_once(void) {
    atomic_fetch_add(&once_calls, 1);
}

static void *worker(void *arg) {
    long id = (long)arg;
    tls_value = (int)id * 100;
    pthread_once(&once, init_once);
    for (int i = 0; i < ITERS; i++) {
        pthread_mutex_lock(&lock);
        counter++;
        pthread_mutex_unlock(&lock);
        atomic_fetch_add(&acounter, 2);
    }
    /* TLS is per thread: nobody else changed ours */
    return (void *)(long)(tls_value == (int)id * 100 ? id + 1000 : -1);
}

static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int stage;

static void *ping(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    while (stage != 1)
        pthread_cond_wait(&cv, &lock);
    stage = 2;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(void) {
    pthread_t t[THREADS];
    tls_value = -5;
    alarm(60); /* a hang (lost futex wake) ends as SIGALRM, not as the harness's timeout */
    for (long i = 0; i < THREADS; i++) {
        int err = pthread_create(&t[i], NULL, worker, (void *)i);
        CHECKF(err == 0, "error %d", err);
        if (err)
            return finish("threads"); /* joining threads that do not exist would hang */
    }
    for (long i = 0; i < THREADS; i++) {
        void *ret;
        CHECK(pthread_join(t[i], &ret) == 0);
        CHECKF((long)ret == i + 1000, "thread %ld returned %ld", i, (long)ret);
    }
    printf("mutex counter %ld, atomic counter %ld, once %d, main tls %d\n", counter, (long)atomic_load(&acounter),
           atomic_load(&once_calls), tls_value);
    CHECK(counter == (long)THREADS * ITERS);
    CHECK(atomic_load(&acounter) == 2L * THREADS * ITERS);
    CHECK(atomic_load(&once_calls) == 1);
    CHECK(tls_value == -5);

    pthread_t p;
    if (pthread_create(&p, NULL, ping, NULL) != 0) {
        CHECK(0);
        return finish("threads");
    }
    pthread_mutex_lock(&lock);
    stage = 1;
    pthread_cond_signal(&cv);
    while (stage != 2)
        pthread_cond_wait(&cv, &lock);
    pthread_mutex_unlock(&lock);
    CHECK(pthread_join(p, NULL) == 0);
    printf("condition variable handshake done\n");

    long expected = 0;
    atomic_long cas = 5;
    CHECK(!atomic_compare_exchange_strong(&cas, &expected, 7) && expected == 5);
    CHECK(atomic_compare_exchange_strong(&cas, &expected, 7) && atomic_load(&cas) == 7);
    CHECK(atomic_exchange(&cas, 9) == 7 && atomic_fetch_or(&cas, 6) == 9 && atomic_load(&cas) == 15);
    return finish("threads");
}
