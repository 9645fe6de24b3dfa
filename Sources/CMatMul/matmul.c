// The engine's matrix product on oneDNN matmul primitives, one per shape, created on first use and kept.
#include "CMatMul.h"

#include <dnnl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void omp_set_num_threads(int num_threads);   // libgomp's ABI; gcc's omp.h is not on Swift's include path

/// What makes two products share a primitive: shape, layout and the two scalars.
typedef struct {
    long m, n, k, lda, ldb, ldc;
    int transpose_a, transpose_b;
    uint32_t alpha, beta;   // bit patterns
} shape_key;

typedef struct {
    shape_key key;
    dnnl_primitive_t primitive;   // null: an empty slot
    dnnl_memory_desc_t a, b, c, scratchpad;
} cached_product;

// Open addressing; never more than half full. Entries live as long as the process (a primitive is a few KB of
// code); shapes beyond the table's capacity run uncached, creating their primitive at each call.
enum { slot_count = 4096 };
static cached_product table[slot_count];
static int used_slots;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;
static void create_engine(void) {
    // oneDNN's profiling hooks off unless the user asks for them: its JIT-profiling records (VTune / perf) and the
    // ITT task it opens around every primitive it executes (a processor-trace write that cost 15 % of a fresh
    // `keras predict` here). oneDNN reads the variable once, at the first primitive it runs.
    dnnl_set_jit_profiling_flags(0);
    setenv("ONEDNN_ITT_TASK_LEVEL", "0", 0);
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = 0;
}

/// The calling thread's stream, and OpenMP's thread count set to one on it, so oneDNN runs on this thread only.
static dnnl_stream_t this_threads_stream(void) {
    static _Thread_local dnnl_stream_t stream;
    if (!stream) {
        omp_set_num_threads(1);
        if (dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) stream = 0;
    }
    return stream;
}

static uint32_t bits(float x) {
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static size_t slot_of(const shape_key *key) {
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p = (const unsigned char *)key;
    for (size_t i = 0; i < sizeof *key; i++) h = (h ^ p[i]) * 1099511628211ull;
    return (size_t)(h & (slot_count - 1));
}

/// A primitive and its memory descriptors for `key`, or a failure status.
static dnnl_status_t create_product(const shape_key *key, float alpha, float beta, cached_product *out) {
    dnnl_dims_t a_dims = {key->m, key->k}, b_dims = {key->k, key->n}, c_dims = {key->m, key->n};
    dnnl_dims_t a_strides = {key->transpose_a ? 1 : key->lda, key->transpose_a ? key->lda : 1};
    dnnl_dims_t b_strides = {key->transpose_b ? 1 : key->ldb, key->transpose_b ? key->ldb : 1};
    dnnl_dims_t c_strides = {key->ldc, 1};
    dnnl_status_t s;
    if ((s = dnnl_memory_desc_init_by_strides(&out->a, 2, a_dims, dnnl_f32, a_strides)) != dnnl_success) return s;
    if ((s = dnnl_memory_desc_init_by_strides(&out->b, 2, b_dims, dnnl_f32, b_strides)) != dnnl_success) return s;
    if ((s = dnnl_memory_desc_init_by_strides(&out->c, 2, c_dims, dnnl_f32, c_strides)) != dnnl_success) return s;
    dnnl_matmul_desc_t desc;
    if ((s = dnnl_matmul_desc_init(&desc, &out->a, &out->b, 0, &out->c)) != dnnl_success) return s;

    dnnl_primitive_attr_t attr = 0;
    dnnl_post_ops_t post_ops = 0;
    if ((s = dnnl_primitive_attr_create(&attr)) != dnnl_success) return s;
    // The caller's thread provides the scratch memory: a primitive runs on several threads at once (row blocks of
    // one product), and oneDNN's own scratchpad is shared between them.
    s = dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user);
    if (s == dnnl_success && alpha != 1) s = dnnl_primitive_attr_set_output_scales(attr, 1, 0, &alpha);
    if (s == dnnl_success && beta != 0) {
        s = dnnl_post_ops_create(&post_ops);
        if (s == dnnl_success) s = dnnl_post_ops_append_sum(post_ops, beta);
        if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(attr, post_ops);
    }
    dnnl_primitive_desc_t pd = 0;
    if (s == dnnl_success) s = dnnl_primitive_desc_create(&pd, &desc, attr, engine, 0);
    if (s == dnnl_success) {
        const dnnl_memory_desc_t *scratchpad = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        if (scratchpad) out->scratchpad = *scratchpad;
        else memset(&out->scratchpad, 0, sizeof out->scratchpad);
        s = dnnl_primitive_create(&out->primitive, pd);
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (post_ops) dnnl_post_ops_destroy(post_ops);
    dnnl_primitive_attr_destroy(attr);
    out->key = *key;
    return s;
}

/// The calling thread's scratch memory for a primitive, at least `size` bytes (grown when needed, never freed).
static void *this_threads_scratchpad(size_t size) {
    static _Thread_local void *buffer;
    static _Thread_local size_t capacity;
    if (size > capacity) {
        free(buffer);
        capacity = (size + 4095) & ~(size_t)4095;
        if (posix_memalign(&buffer, 64, capacity) != 0) buffer = 0, capacity = 0;
    }
    return buffer;
}

static dnnl_status_t execute(const cached_product *p, dnnl_stream_t stream, const float *a, const float *b, float *c) {
    size_t scratch_size = dnnl_memory_desc_get_size(&p->scratchpad);
    void *scratch = scratch_size ? this_threads_scratchpad(scratch_size) : 0;
    if (scratch_size && !scratch) return dnnl_out_of_memory;
    dnnl_memory_t ma = 0, mb = 0, mc = 0, ms = 0;
    dnnl_status_t s = dnnl_memory_create(&ma, &p->a, engine, (void *)a);
    if (s == dnnl_success) s = dnnl_memory_create(&mb, &p->b, engine, (void *)b);
    if (s == dnnl_success) s = dnnl_memory_create(&mc, &p->c, engine, c);
    if (s == dnnl_success && scratch_size) s = dnnl_memory_create(&ms, &p->scratchpad, engine, scratch);
    if (s == dnnl_success) {
        dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, ma}, {DNNL_ARG_WEIGHTS, mb}, {DNNL_ARG_DST, mc},
                                   {DNNL_ARG_SCRATCHPAD, ms}};
        s = dnnl_primitive_execute(p->primitive, stream, scratch_size ? 4 : 3, args);
    }
    if (ma) dnnl_memory_destroy(ma);
    if (mb) dnnl_memory_destroy(mb);
    if (mc) dnnl_memory_destroy(mc);
    if (ms) dnnl_memory_destroy(ms);
    return s;
}

/// The cached product for `key`, creating it on first use; with `*uncached` set when the table is full and the
/// caller owns (and destroys) the primitive in `scratch`. Null when it cannot be created.
static const cached_product *product_for(const shape_key *key, float alpha, float beta, cached_product *scratch,
                                         int *uncached) {
    *uncached = 0;
    pthread_mutex_lock(&table_lock);
    size_t slot = slot_of(key);
    while (table[slot].primitive && memcmp(&table[slot].key, key, sizeof *key) != 0) slot = (slot + 1) & (slot_count - 1);
    const cached_product *found = 0;
    if (table[slot].primitive) {
        found = &table[slot];
    } else if (used_slots < slot_count / 2) {
        if (create_product(key, alpha, beta, &table[slot]) == dnnl_success) {
            used_slots++;
            found = &table[slot];
        } else {
            if (table[slot].primitive) dnnl_primitive_destroy(table[slot].primitive);
            table[slot].primitive = 0;
        }
    }
    int full = used_slots >= slot_count / 2;
    pthread_mutex_unlock(&table_lock);
    if (found || !full) return found;
    memset(scratch, 0, sizeof *scratch);
    if (create_product(key, alpha, beta, scratch) != dnnl_success) {
        if (scratch->primitive) dnnl_primitive_destroy(scratch->primitive);
        return 0;
    }
    *uncached = 1;
    return scratch;
}

int sk_matmul(long m, long n, long k, const float *a, long lda, int transpose_a, const float *b, long ldb,
              int transpose_b, float *c, long ldc, float alpha, float beta) {
    pthread_once(&engine_once, create_engine);
    dnnl_stream_t stream = engine ? this_threads_stream() : 0;
    if (stream) {
        shape_key key;
        memset(&key, 0, sizeof key);   // padding bytes take part in hashing and comparison
        key.m = m, key.n = n, key.k = k, key.lda = lda, key.ldb = ldb, key.ldc = ldc;
        key.transpose_a = transpose_a != 0, key.transpose_b = transpose_b != 0;
        key.alpha = bits(alpha), key.beta = bits(beta);
        cached_product scratch;
        int uncached;
        const cached_product *p = product_for(&key, alpha, beta, &scratch, &uncached);
        if (p) {
            dnnl_status_t s = execute(p, stream, a, b, c);
            if (uncached) dnnl_primitive_destroy(scratch.primitive);
            if (s == dnnl_success) return 0;
        }
    } else {
        omp_set_num_threads(1);
    }
    // No primitive for this product: oneDNN's sgemm (which compiles its kernels on first use).
    return (int)dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static char implementation[64] = "none";
static void describe_implementation(void) {
    float *a = calloc(128 * 784, sizeof(float)), *b = calloc(784 * 256, sizeof(float)), *c = calloc(128 * 256, sizeof(float));
    int status = a && b && c ? sk_matmul(128, 256, 784, a, 784, 0, b, 256, 0, c, 256, 1, 0) : -1;
    free(a), free(b), free(c);
    if (status != 0) return;
    shape_key key;
    memset(&key, 0, sizeof key);
    key.m = 128, key.n = 256, key.k = 784, key.lda = 784, key.ldb = 256, key.ldc = 256, key.alpha = bits(1);
    pthread_mutex_lock(&table_lock);
    size_t slot = slot_of(&key);
    while (table[slot].primitive && memcmp(&table[slot].key, &key, sizeof key) != 0) slot = (slot + 1) & (slot_count - 1);
    const_dnnl_primitive_desc_t pd = 0;
    const char *name = 0;
    if (table[slot].primitive && dnnl_primitive_get_primitive_desc(table[slot].primitive, &pd) == dnnl_success &&
        dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success && name)
        snprintf(implementation, sizeof implementation, "%s", name);
    else
        snprintf(implementation, sizeof implementation, "sgemm");
    pthread_mutex_unlock(&table_lock);
}

const char *sk_matmul_implementation(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, describe_implementation);
    return implementation;
}
