// The GEMM floor of the seed recipe: times the single-precision GEMMs of one training step (batch 128: the forward
// products of Dense 784→256, Antirectifier 512→256, Dense 256→256, Antirectifier 512→256, Dense 256→10, and both
// backward products of each, except the first layer's input gradient) with every GEMM library this machine has,
// each loaded on its own with dlopen so their cblas_sgemm symbols cannot collide.
//
//   cc -O2 -o /tmp/gemm_floor tools/gemm_floor.c -ISources/CMatMul/include Sources/CMatMul/matmul.c Sources/CMatMul/context.c -ldnnl -lgomp -ldl \
//      -lpthread && /tmp/gemm_floor [library ...]
//
// Libraries: openblas (as installed), openblas:<CORETYPE> (the same with OPENBLAS_CORETYPE forced, run in a child
// process so the variable is read at load), blis, dnnl (its sgemm), dnnl:split — each large product split into two
// blocks of rows that two threads compute at once, each a single-threaded dnnl_sgemm (OpenMP's thread count one) —
// and matmul, matmul:split: the same with the Swift engine's own product (Sources/CMatMul: oneDNN matmul
// primitives cached by shape), split as the engine splits it. Prints one line per library:
//   gemm <library> <GFLOP/s> <seconds per step> <kernel or ISA it reports>
// tools/benchmark.py runs it and divides the epoch's FLOPs by the best throughput: the floor.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "CMatMul.h"

typedef struct { int ta, tb, m, n, k; } Shape;

// Row-major C[m,n] = op(A)·op(B) for one step of the seed model at batch 128.
static const Shape step[] = {
    {0, 0, 128, 256, 784}, {0, 0, 128, 256, 512}, {0, 0, 128, 256, 256}, {0, 0, 128, 256, 512}, {0, 0, 128, 10, 256},
    // backward: dX = dY·Wᵀ, dW = Xᵀ·dY
    {0, 1, 128, 256, 10}, {1, 0, 256, 10, 128},
    {0, 1, 128, 512, 256}, {1, 0, 512, 256, 128},
    {0, 1, 128, 256, 256}, {1, 0, 256, 256, 128},
    {0, 1, 128, 512, 256}, {1, 0, 512, 256, 128},
    {1, 0, 784, 256, 128},
};
enum { STEPS = sizeof step / sizeof step[0] };

typedef void (*cblas_sgemm_t)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                              float *, int);
typedef int (*dnnl_sgemm_t)(char, char, long, long, long, float, const float *, long, const float *, long, float,
                            float *, long);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static double stepFlops(void) {
    double f = 0;
    for (int i = 0; i < STEPS; i++) f += 2.0 * step[i].m * step[i].n * step[i].k;
    return f;
}

static float *buffers[STEPS][3];

static void allocate(void) {
    for (int i = 0; i < STEPS; i++) {
        size_t sizes[3] = {(size_t)step[i].m * step[i].k, (size_t)step[i].k * step[i].n, (size_t)step[i].m * step[i].n};
        for (int j = 0; j < 3; j++) {
            buffers[i][j] = aligned_alloc(64, (sizes[j] * 4 + 63) / 64 * 64);
            for (size_t e = 0; e < sizes[j]; e++) buffers[i][j][e] = (float)((e * 7 + i) % 13) / 13.0f - 0.5f;
        }
    }
}

// Runs the step's GEMMs until at least `seconds` have passed; returns the best of five such rounds' seconds/step.
static double timeSteps(void (*one)(const Shape *, float *, float *, float *, void *), void *context) {
    double best = 1e9;
    for (int round = 0; round < 6; round++) {
        int count = 0;
        double start = now(), elapsed;
        do {
            for (int i = 0; i < STEPS; i++) one(&step[i], buffers[i][0], buffers[i][1], buffers[i][2], context);
            count++;
            elapsed = now() - start;
        } while (elapsed < 0.25);
        if (round > 0 && elapsed / count < best) best = elapsed / count;  // round 0 warms up (JIT, threads)
    }
    return best;
}

static void viaCblas(const Shape *s, float *a, float *b, float *c, void *f) {
    int lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    ((cblas_sgemm_t)f)(101, s->ta ? 112 : 111, s->tb ? 112 : 111, s->m, s->n, s->k, 1, a, lda, b, ldb, 0, c, s->n);
}

static void viaDnnl(const Shape *s, float *a, float *b, float *c, void *f) {
    long lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    ((dnnl_sgemm_t)f)(s->ta ? 'T' : 'N', s->tb ? 'T' : 'N', s->m, s->n, s->k, 1, a, lda, b, ldb, 0, c, s->n);
}

// The engine's product (f is unused).
static int viaMatmulProduct(char ta, char tb, long m, long n, long k, float alpha, const float *a, long lda,
                            const float *b, long ldb, float beta, float *c, long ldc) {
    return sk_matmul(m, n, k, a, lda, ta == 'T', b, ldb, tb == 'T', c, ldc, alpha, beta);
}

static void viaMatmul(const Shape *s, float *a, float *b, float *c, void *f) {
    (void)f;
    viaDnnl(s, a, b, c, (void *)viaMatmulProduct);
}

// dnnl:split, matmul:split — a second thread takes the second block of each product; both spin while waiting (a
// best case). Blocks of rows, as the engine splits products of 32 rows or more.
typedef struct { const Shape *shape; float *a, *b, *c; void *f; } Block;
static Block pending;
static _Atomic int posted, finished;
static void (*setOpenMPThreads)(int);

static void block(const Shape *s, int half, float *a, float *b, float *c, void *f) {
    long lda = s->ta ? s->m : s->k, ldb = s->tb ? s->k : s->n;
    long per = ((s->m + 1) / 2 + 15) & ~15L, start = half ? per : 0, count = half ? s->m - per : per;
    if (count <= 0) return;
    float *pa = s->ta ? a + start : a + start * lda;
    ((dnnl_sgemm_t)f)(s->ta ? 'T' : 'N', s->tb ? 'T' : 'N', count, s->n, s->k, 1, pa, lda, b, ldb, 0,
                      c + start * s->n, s->n);
}

static void *splitWorker(void *unused) {
    (void)unused;
    setOpenMPThreads(1);
    for (int seen = 0;;) {
        while (atomic_load(&posted) == seen) __builtin_ia32_pause();
        seen = atomic_load(&posted);
        block(pending.shape, 1, pending.a, pending.b, pending.c, pending.f);
        atomic_fetch_add(&finished, 1);
    }
    return NULL;
}

static void viaDnnlSplit(const Shape *s, float *a, float *b, float *c, void *f) {
    if (2.0 * s->m * s->n * s->k < (1 << 20) || s->m < 32) { viaDnnl(s, a, b, c, f); return; }
    pending = (Block){s, a, b, c, f};
    int target = atomic_load(&finished) + 1;
    atomic_fetch_add(&posted, 1);
    block(s, 0, a, b, c, f);
    while (atomic_load(&finished) != target) __builtin_ia32_pause();
}

static void measure(const char *name) {
    const char *lib = NULL, *symbol = "cblas_sgemm";
    char kernel[128] = "?";
    if (!strncmp(name, "openblas", 8)) lib = "libopenblas.so.0";
    else if (!strcmp(name, "blis")) lib = "libblis.so.4";
    else if (!strncmp(name, "dnnl", 4) || !strncmp(name, "matmul", 6)) { lib = "libdnnl.so.2"; symbol = "dnnl_sgemm"; }
    else { fprintf(stderr, "unknown library %s\n", name); return; }
    void *handle = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
    if (!handle) { printf("gemm %s unavailable 0 %s\n", name, dlerror()); return; }
    void *f = dlsym(handle, symbol);
    if (!f) { printf("gemm %s unavailable 0 no-%s\n", name, symbol); return; }
    if (lib[3] == 'o') {
        char *(*coreName)(void) = (char *(*)(void))dlsym(handle, "openblas_get_corename");
        if (coreName) snprintf(kernel, sizeof kernel, "%s", coreName());
    } else if (lib[3] == 'd') {
        int (*isa)(void) = (int (*)(void))dlsym(handle, "dnnl_get_effective_cpu_isa");
        if (isa) snprintf(kernel, sizeof kernel, "isa-0x%x", isa());
    } else {
        const char *(*arch)(int) = (const char *(*)(int))dlsym(handle, "bli_arch_string");
        int (*query)(void) = (int (*)(void))dlsym(handle, "bli_arch_query_id");
        if (arch && query) snprintf(kernel, sizeof kernel, "%s", arch(query()));
    }
    int matmul = !strncmp(name, "matmul", 6), split = strstr(name, ":split") != NULL;
    if (matmul) f = (void *)viaMatmulProduct;
    if (split) {
        void *gomp = dlopen("libgomp.so.1", RTLD_NOW | RTLD_NOLOAD);
        setOpenMPThreads = gomp ? (void (*)(int))dlsym(gomp, "omp_set_num_threads") : NULL;
        if (!setOpenMPThreads) { printf("gemm %s unavailable 0 no-libgomp\n", name); return; }
        setOpenMPThreads(1);   // this thread's; the worker sets its own
        pthread_t worker;
        pthread_create(&worker, NULL, splitWorker, NULL);
    }
    double seconds = timeSteps(lib[3] == 'd' ? (split ? viaDnnlSplit : matmul ? viaMatmul : viaDnnl) : viaCblas, f);
    if (lib[3] == 'd') {  // the ISA is known once the first call has run
        int (*isa)(void) = (int (*)(void))dlsym(handle, "dnnl_get_effective_cpu_isa");
        if (isa) snprintf(kernel, sizeof kernel, "isa-0x%x", isa());
        if (matmul) snprintf(kernel + strlen(kernel), sizeof kernel - strlen(kernel), ",%s", sk_matmul_implementation());
    }
    printf("gemm %s %.1f %.6f %s\n", name, stepFlops() / seconds / 1e9, seconds, kernel);
    fflush(stdout);
}

int main(int argc, char **argv) {
    const char *defaults[] = {"openblas", "openblas:SKYLAKEX", "openblas:COOPERLAKE", "openblas:HASWELL", "blis", "dnnl",
                              "dnnl:split", "matmul", "matmul:split"};
    int count = argc > 1 ? argc - 1 : (int)(sizeof defaults / sizeof defaults[0]);
    const char **names = argc > 1 ? (const char **)argv + 1 : defaults;
    printf("step_flops %.0f\n", stepFlops());
    fflush(stdout);
    allocate();
    for (int i = 0; i < count; i++) {
        // Each library is measured in a child of its own: a forced OpenBLAS core type is read when the library
        // loads, and no library's threads are left running beside the next one's.
        pid_t pid = fork();
        if (pid == 0) {
            const char *colon = strncmp(names[i], "openblas", 8) ? NULL : strchr(names[i], ':');
            if (colon) setenv("OPENBLAS_CORETYPE", colon + 1, 1);
            else unsetenv("OPENBLAS_CORETYPE");
            unsetenv("OPENBLAS_L2_SIZE");
            measure(names[i]);
            _exit(0);
        }
        waitpid(pid, NULL, 0);
    }
    return 0;
}
