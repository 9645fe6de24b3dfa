// The engine's matrix product on oneDNN matmul primitives, one per shape, created on first use and kept.
#include "CMatMul.h"
#include "context.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/// What makes two products share a primitive: shape, layout and the two scalars.
typedef struct {
    long m, n, k, lda, ldb, ldc;
    int transpose_a, transpose_b;
    uint32_t alpha, beta;   // bit patterns
} product_key;

typedef struct {
    dnnl_primitive_t primitive;
    dnnl_memory_desc_t a, b, c, scratchpad;
    int via_sgemm;   // oneDNN serves the shape with its sgemm kernels (strided operands): call sgemm directly
} product;

static uint32_t bits(float x) {
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

static float value(uint32_t b) {
    float x;
    memcpy(&x, &b, sizeof x);
    return x;
}

/// Creates the primitive for `key` (row-major operands given by strides; alpha as output scale, beta as a sum).
static int create_product(const void *raw_key, void *raw_entry) {
    const product_key *key = raw_key;
    product *out = raw_entry;
    dnnl_dims_t a_dims = {key->m, key->k}, b_dims = {key->k, key->n}, c_dims = {key->m, key->n};
    dnnl_dims_t a_strides = {key->transpose_a ? 1 : key->lda, key->transpose_a ? key->lda : 1};
    dnnl_dims_t b_strides = {key->transpose_b ? 1 : key->ldb, key->transpose_b ? key->ldb : 1};
    dnnl_dims_t c_strides = {key->ldc, 1};
    float alpha = value(key->alpha), beta = value(key->beta);
    if (dnnl_memory_desc_init_by_strides(&out->a, 2, a_dims, dnnl_f32, a_strides) != dnnl_success
        || dnnl_memory_desc_init_by_strides(&out->b, 2, b_dims, dnnl_f32, b_strides) != dnnl_success
        || dnnl_memory_desc_init_by_strides(&out->c, 2, c_dims, dnnl_f32, c_strides) != dnnl_success) return 1;
    dnnl_matmul_desc_t desc;
    if (dnnl_matmul_desc_init(&desc, &out->a, &out->b, 0, &out->c) != dnnl_success) return 1;
    dnnl_primitive_attr_t attr = sk_user_scratchpad_attr();
    if (!attr) return 1;
    dnnl_post_ops_t post_ops = 0;
    dnnl_status_t s = alpha != 1 ? dnnl_primitive_attr_set_output_scales(attr, 1, 0, &alpha) : dnnl_success;
    if (s == dnnl_success && beta != 0) {
        s = dnnl_post_ops_create(&post_ops);
        if (s == dnnl_success) s = dnnl_post_ops_append_sum(post_ops, beta);
        if (s == dnnl_success) s = dnnl_primitive_attr_set_post_ops(attr, post_ops);
    }
    dnnl_primitive_desc_t pd = 0;
    if (s == dnnl_success) s = dnnl_primitive_desc_create(&pd, &desc, attr, sk_engine(), 0);
    if (s == dnnl_success) {
        const char *name = 0;
        out->via_sgemm = dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success && name
                         && strncmp(name, "gemm:", 5) == 0;
        out->scratchpad = *dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        s = dnnl_primitive_create(&out->primitive, pd);
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (post_ops) dnnl_post_ops_destroy(post_ops);
    dnnl_primitive_attr_destroy(attr);
    return s != dnnl_success;
}

static dnnl_status_t execute(const product *p, dnnl_stream_t stream, const float *a, const float *b, float *c) {
    size_t scratch_size = dnnl_memory_desc_get_size(&p->scratchpad);
    void *scratch = scratch_size ? sk_this_threads_buffer(0, scratch_size) : 0;
    if (scratch_size && !scratch) return dnnl_out_of_memory;
    dnnl_engine_t engine = sk_engine();
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

static product_key key_for(long m, long n, long k, long lda, int transpose_a, long ldb, int transpose_b, long ldc,
                           float alpha, float beta) {
    product_key key;
    memset(&key, 0, sizeof key);   // padding bytes take part in hashing and comparison
    key.m = m, key.n = n, key.k = k, key.lda = lda, key.ldb = ldb, key.ldc = ldc;
    key.transpose_a = transpose_a != 0, key.transpose_b = transpose_b != 0;
    key.alpha = bits(alpha), key.beta = bits(beta);
    return key;
}

int sk_matmul(long m, long n, long k, const float *a, long lda, int transpose_a, const float *b, long ldb,
              int transpose_b, float *c, long ldc, float alpha, float beta) {
    dnnl_stream_t stream = sk_this_threads_stream();
    if (stream) {
        product_key key = key_for(m, n, k, lda, transpose_a, ldb, transpose_b, ldc, alpha, beta);
        const product *p = sk_cached(&key, sizeof key, sizeof(product), create_product);
        if (p && !p->via_sgemm && execute(p, stream, a, b, c) == dnnl_success) return 0;
    }
    // No primitive for this product (or the cache is full), or one that would run sgemm's kernels anyway (less
    // overhead called directly): oneDNN's sgemm, which compiles its kernels on first use.
    return (int)dnnl_sgemm(transpose_a ? 'T' : 'N', transpose_b ? 'T' : 'N', m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

static char implementation[64] = "none";

static void describe_implementation(void) {
    product_key key = key_for(128, 256, 784, 784, 0, 256, 0, 256, 1, 0);
    const product *p = sk_cached(&key, sizeof key, sizeof(product), create_product);
    const_dnnl_primitive_desc_t pd = 0;
    const char *name = 0;
    if (p && dnnl_primitive_get_primitive_desc(p->primitive, &pd) == dnnl_success
        && dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name) == dnnl_success && name)
        snprintf(implementation, sizeof implementation, "%s", name);
    else
        snprintf(implementation, sizeof implementation, "sgemm");
}

const char *sk_matmul_implementation(void) {
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, describe_implementation);
    return implementation;
}
