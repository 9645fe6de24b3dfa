// The engine's thread pool: see CThreadPool.h for why it exists.
//
// Protocol. One job at a time holds the pool (`owner`). Its owner writes the job's fields while the pool is
// closed (`state` odd) and no worker is inside (`entered` == 0), then opens it (`state` becomes even, a value no
// job had before). A worker that sees an open state registers in `entered` and re-reads `state`: only if the job
// is still the one it saw does it claim indices; the owner closes the pool (`state` odd again) before it waits for
// `entered` to drop to zero, so no worker can read a job's fields while the next job is being written. All the
// atomics are sequentially consistent, which makes both of those register-then-check handshakes sound.
#define _GNU_SOURCE
#include "CThreadPool.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long thread_count = 1;
static long spin_nanoseconds = 100000;   // how long an idle worker spins before it sleeps (KERAS_POOL_SPIN_US)
static pthread_once_t started = PTHREAD_ONCE_INIT;
static pthread_mutex_t owner = PTHREAD_MUTEX_INITIALIZER;
static _Thread_local int inside;

static sk_pool_task job_task;
static void *job_context;
static long job_count;
static unsigned job_float_mode;
static _Atomic long job_next;
static _Atomic long job_done;
static _Atomic unsigned state = 1;   // odd: closed; even: a job is open. Also the word sleeping workers wait on.
static _Atomic int entered;
static _Atomic int sleepers;

static inline void relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static long now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)t.tv_sec * 1000000000L + t.tv_nsec;
}

/// Spins until `*word != value` or `budget` nanoseconds have passed; returns whether the word changed.
static int spin_while_equal(_Atomic unsigned *word, unsigned value, long budget) {
    long start = now_nanoseconds();
    for (;;) {
        for (int k = 0; k < 64; k++) {
            if (atomic_load_explicit(word, memory_order_relaxed) != value) return 1;
            relax();
        }
        if (now_nanoseconds() - start > budget) return 0;
    }
}

/// Waits until `*counter == target`: spins briefly, then yields the core (the thread it waits for may need it).
static void wait_for_count(_Atomic long *counter, long target) {
    for (int k = 0; atomic_load(counter) != target; k++) {
        if (k < 4096) relax(); else sched_yield();
    }
}

static void wait_for_zero(_Atomic int *counter) {
    for (int k = 0; atomic_load(counter) != 0; k++) {
        if (k < 4096) relax(); else sched_yield();
    }
}

static void claim_and_run(sk_pool_task task, void *context, long count) {
    long i;
    while ((i = atomic_fetch_add(&job_next, 1)) < count) {
        task(context, i);
        atomic_fetch_add(&job_done, 1);
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    inside = 1;
    unsigned seen = atomic_load(&state);
    for (;;) {
        unsigned s = atomic_load(&state);
        if ((s & 1) || s == seen) {
            if (spin_while_equal(&state, s, spin_nanoseconds)) continue;
            atomic_fetch_add(&sleepers, 1);
            syscall(SYS_futex, (unsigned *)&state, FUTEX_WAIT_PRIVATE, s, NULL, NULL, 0);
            atomic_fetch_sub(&sleepers, 1);
            continue;
        }
        atomic_fetch_add(&entered, 1);
        if (atomic_load(&state) == s) {
            sk_set_float_mode(job_float_mode);
            claim_and_run(job_task, job_context, job_count);
        }
        atomic_fetch_sub(&entered, 1);
        seen = s;
    }
    return NULL;
}

static long parse_positive(const char *text) {
    if (text == NULL || *text == 0) return 0;
    char *end;
    long value = strtol(text, &end, 10);
    return (value > 0 && (*end == 0 || *end == ',')) ? value : 0;
}

static void start(void) {
    long requested = parse_positive(getenv("OMP_NUM_THREADS"));
    if (requested == 0) {
        cpu_set_t cpus;
        requested = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : sysconf(_SC_NPROCESSORS_ONLN);
    }
    long spin = parse_positive(getenv("KERAS_POOL_SPIN_US"));
    if (spin > 0) spin_nanoseconds = spin * 1000;
    if (requested < 1) requested = 1;
    if (requested > 256) requested = 256;
    long started_workers = 0;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    for (long w = 1; w < requested; w++) {
        pthread_t thread;
        if (pthread_create(&thread, &attributes, worker_main, NULL) == 0) started_workers++;
    }
    pthread_attr_destroy(&attributes);
    thread_count = 1 + started_workers;
}

long sk_pool_thread_count(void) {
    pthread_once(&started, start);
    return thread_count;
}

int sk_pool_inside(void) { return inside; }

void sk_pool_run(sk_pool_task task, void *context, long count) {
    if (count <= 0) return;
    pthread_once(&started, start);
    if (count == 1 || thread_count == 1 || inside || pthread_mutex_trylock(&owner) != 0) {
        int was_inside = inside;
        inside = 1;
        for (long i = 0; i < count; i++) task(context, i);
        inside = was_inside;
        return;
    }
    job_task = task;
    job_context = context;
    job_count = count;
    job_float_mode = sk_float_mode();
    atomic_store(&job_next, 0);
    atomic_store(&job_done, 0);
    atomic_fetch_add(&state, 1);   // open
    if (atomic_load(&sleepers) > 0) syscall(SYS_futex, (unsigned *)&state, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    inside = 1;
    claim_and_run(task, context, count);
    inside = 0;
    wait_for_count(&job_done, count);
    atomic_fetch_add(&state, 1);   // closed
    wait_for_zero(&entered);
    pthread_mutex_unlock(&owner);
}

// GEMMClock's bookkeeping: a product is timed by the thread that waits for it. Outside the pool that is any thread;
// inside it, only the thread that started a job of whole tasks (`sk_pool_count_tasks_here`), so that products in
// the caller's own tasks count once and the workers' products, which run beside them, do not. Nested timed spans
// (a pair of products timed as one) count once.
static _Thread_local int counts_tasks_here;
static _Thread_local int clock_depth;

void sk_pool_count_tasks_here(int on) { counts_tasks_here = on; }

int sk_clock_enter(void) {
    return clock_depth++ == 0 && (!inside || counts_tasks_here);
}

void sk_clock_leave(void) { clock_depth--; }
