// Convolution on oneDNN's convolution primitives against the engine's way (im2col + the engine's matrix product,
// Sources/CMatMul, + a bias-and-relu pass; backward: the two products + col2im), on the two convolutions of
// keras.io's mnist_convnet at batch 128 (channels last): 28×28×1 → 26×26×32 and 13×13×32 → 11×11×64, 3×3, valid.
// One thread (OMP_NUM_THREADS=1 is set here), so both sides use one core; times are the best of five rounds.
//
//   cc -O2 -o /tmp/conv_bench tools/conv_bench.c -ISources/CMatMul/include Sources/CMatMul/matmul.c Sources/CMatMul/context.c -ldnnl -lgomp \
//      -lpthread && /tmp/conv_bench
//
// Prints, per layer: forward (with bias and relu), backward data (the second layer only: the first has no input
// gradient) and backward weights (with the bias gradient), in ms, and the primitive oneDNN chose.
#define _GNU_SOURCE
#include <dnnl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "CMatMul.h"

void omp_set_num_threads(int);

#define CHECK(x) do { dnnl_status_t s_ = (x); if (s_ != dnnl_success) { printf("failed: %s (%d)\n", #x, s_); exit(1); } } while (0)

typedef struct { long n, h, w, c, k, f, oh, ow; } Layer;   // k×k kernel, f filters, valid padding, stride 1

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static float *filled(long count) {
    float *p = aligned_alloc(64, (count * 4 + 63) / 64 * 64);
    for (long i = 0; i < count; i++) p[i] = (float)((i * 7) % 13) / 13.0f - 0.5f;
    return p;
}

// The best of five rounds of at least 0.2 s each, in ms per call.
static double best_ms(void (*run)(void *), void *context) {
    run(context);   // warm up (JIT, caches)
    double best = 1e9;
    for (int round = 0; round < 5; round++) {
        int count = 0;
        double start = now(), elapsed;
        do { run(context); count++; elapsed = now() - start; } while (elapsed < 0.2);
        if (elapsed / count < best) best = elapsed / count;
    }
    return best * 1e3;
}

// ---- the engine's way: im2col + matmul ----
typedef struct { const Layer *l; float *x, *w, *b, *y, *cols, *dy, *dw, *db, *dx, *dcols; } Im2col;

static void im2col(const Layer *l, const float *x, float *cols) {
    long patch = l->k * l->k * l->c;
    for (long b = 0; b < l->n; b++)
        for (long oy = 0; oy < l->oh; oy++)
            for (long ox = 0; ox < l->ow; ox++) {
                float *row = cols + ((b * l->oh + oy) * l->ow + ox) * patch;
                for (long ky = 0; ky < l->k; ky++)
                    for (long kx = 0; kx < l->k; kx++)
                        memcpy(row + (ky * l->k + kx) * l->c, x + ((b * l->h + oy + ky) * l->w + ox + kx) * l->c,
                               l->c * sizeof(float));
            }
}

static void col2im(const Layer *l, const float *cols, float *dx) {
    long patch = l->k * l->k * l->c;
    memset(dx, 0, l->n * l->h * l->w * l->c * sizeof(float));
    for (long b = 0; b < l->n; b++)
        for (long oy = 0; oy < l->oh; oy++)
            for (long ox = 0; ox < l->ow; ox++) {
                const float *row = cols + ((b * l->oh + oy) * l->ow + ox) * patch;
                for (long ky = 0; ky < l->k; ky++)
                    for (long kx = 0; kx < l->k; kx++) {
                        float *to = dx + ((b * l->h + oy + ky) * l->w + ox + kx) * l->c;
                        const float *from = row + (ky * l->k + kx) * l->c;
                        for (long ch = 0; ch < l->c; ch++) to[ch] += from[ch];
                    }
            }
}

static void im2colForward(void *p) {
    Im2col *e = p;
    const Layer *l = e->l;
    long m = l->n * l->oh * l->ow, kk = l->k * l->k * l->c;
    im2col(l, e->x, e->cols);
    sk_matmul(m, l->f, kk, e->cols, kk, 0, e->w, l->f, 0, e->y, l->f, 1, 0);
    for (long i = 0; i < m; i++)
        for (long j = 0; j < l->f; j++) { float v = e->y[i * l->f + j] + e->b[j]; e->y[i * l->f + j] = v > 0 ? v : 0; }
}

static void im2colBackwardData(void *p) {
    Im2col *e = p;
    const Layer *l = e->l;
    long m = l->n * l->oh * l->ow, kk = l->k * l->k * l->c;
    sk_matmul(m, kk, l->f, e->dy, l->f, 0, e->w, l->f, 1, e->dcols, kk, 1, 0);
    col2im(l, e->dcols, e->dx);
}

static void im2colBackwardWeights(void *p) {
    Im2col *e = p;
    const Layer *l = e->l;
    long m = l->n * l->oh * l->ow, kk = l->k * l->k * l->c;
    im2col(l, e->x, e->cols);   // the forward's columns are not kept between the passes of a step here either
    sk_matmul(kk, l->f, m, e->cols, kk, 1, e->dy, l->f, 0, e->dw, l->f, 1, 0);
    memset(e->db, 0, l->f * sizeof(float));
    for (long i = 0; i < m; i++) for (long j = 0; j < l->f; j++) e->db[j] += e->dy[i * l->f + j];
}

// ---- oneDNN convolution primitives ----
static dnnl_engine_t engine;
static dnnl_stream_t stream;
typedef struct { dnnl_primitive_t p; dnnl_exec_arg_t args[8]; int count; } Primitive;

static void runPrimitive(void *p) {
    Primitive *e = p;
    CHECK(dnnl_primitive_execute(e->p, stream, e->count, e->args));
}

static dnnl_memory_t memory(const dnnl_memory_desc_t *md, void *data) {
    dnnl_memory_t m;
    CHECK(dnnl_memory_create(&m, md, engine, data));
    return m;
}

static const char *implementation(dnnl_primitive_desc_t pd) {
    const char *name = "?";
    dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, &name);
    return name;
}

/// The input, kernel and output layouts `pd` chose (queried as `qx`, `qw`, `qy`).
static void chosen(dnnl_primitive_desc_t pd, dnnl_query_t qx, dnnl_query_t qw, dnnl_query_t qy, dnnl_memory_desc_t *x,
                   dnnl_memory_desc_t *w, dnnl_memory_desc_t *y) {
    *x = *dnnl_primitive_desc_query_md(pd, qx, 0);
    *w = *dnnl_primitive_desc_query_md(pd, qw, 0);
    *y = *dnnl_primitive_desc_query_md(pd, qy, 0);
}

static void measure(const Layer *l, int backwardData, int blocked) {
    long m = l->n * l->oh * l->ow, kk = l->k * l->k * l->c;
    Im2col e = {l, filled(l->n * l->h * l->w * l->c), filled(kk * l->f), filled(l->f), filled(m * l->f), filled(m * kk),
                filled(m * l->f), filled(kk * l->f), filled(l->f), filled(l->n * l->h * l->w * l->c), filled(m * kk)};
    if (!blocked) {
        printf("%ldx%ldx%ld -> %ldx%ldx%ld (batch %ld):\n", l->h, l->w, l->c, l->oh, l->ow, l->f, l->n);
        printf("  im2col + matmul: forward %.2f ms", best_ms(im2colForward, &e));
        if (backwardData) printf(", backward data %.2f ms", best_ms(im2colBackwardData, &e));
        printf(", backward weights %.2f ms\n", best_ms(im2colBackwardWeights, &e));
    }

    dnnl_memory_desc_t src, wei, bias, dst;
    dnnl_dims_t srcDims = {l->n, l->c, l->h, l->w}, weiDims = {l->f, l->c, l->k, l->k}, biasDims = {l->f},
                dstDims = {l->n, l->f, l->oh, l->ow}, strides = {1, 1}, pad = {0, 0};
    CHECK(dnnl_memory_desc_init_by_tag(&src, 4, srcDims, dnnl_f32, blocked ? dnnl_format_tag_any : dnnl_nhwc));
    CHECK(dnnl_memory_desc_init_by_tag(&wei, 4, weiDims, dnnl_f32, blocked ? dnnl_format_tag_any : dnnl_hwio));
    CHECK(dnnl_memory_desc_init_by_tag(&bias, 1, biasDims, dnnl_f32, dnnl_a));
    CHECK(dnnl_memory_desc_init_by_tag(&dst, 4, dstDims, dnnl_f32, blocked ? dnnl_format_tag_any : dnnl_nhwc));
    dnnl_convolution_desc_t fd, bdd, bwd;
    dnnl_memory_desc_t srcAny = src, weiAny = wei, dstAny = dst;   // "any" layouts for the backward passes
    CHECK(dnnl_convolution_forward_desc_init(&fd, dnnl_forward_training, dnnl_convolution_direct, &src, &wei, &bias,
                                             &dst, strides, pad, pad));
    dnnl_primitive_attr_t attr;
    dnnl_post_ops_t ops;
    CHECK(dnnl_primitive_attr_create(&attr));
    CHECK(dnnl_post_ops_create(&ops));
    CHECK(dnnl_post_ops_append_eltwise(ops, 1, dnnl_eltwise_relu, 0, 0));
    CHECK(dnnl_primitive_attr_set_post_ops(attr, ops));
    dnnl_primitive_desc_t fpd, bdpd, bwpd;
    CHECK(dnnl_primitive_desc_create(&fpd, &fd, attr, engine, NULL));
    Primitive f = {0};
    CHECK(dnnl_primitive_create(&f.p, fpd));
    if (blocked) {   // the layouts oneDNN chose (buffers as large as the plain ones: f32, no padding needed here)
        chosen(fpd, dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md, &src, &wei, &dst);
        e.x = realloc(e.x, dnnl_memory_desc_get_size(&src)); e.dx = realloc(e.dx, dnnl_memory_desc_get_size(&src));
        e.w = realloc(e.w, dnnl_memory_desc_get_size(&wei)); e.dw = realloc(e.dw, dnnl_memory_desc_get_size(&wei));
        e.y = realloc(e.y, dnnl_memory_desc_get_size(&dst)); e.dy = realloc(e.dy, dnnl_memory_desc_get_size(&dst));
        memset(e.x, 0, dnnl_memory_desc_get_size(&src)); memset(e.dy, 0, dnnl_memory_desc_get_size(&dst));
        memset(e.w, 0, dnnl_memory_desc_get_size(&wei));
    }
    f.args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, memory(&src, e.x)};
    f.args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, memory(&wei, e.w)};
    f.args[2] = (dnnl_exec_arg_t){DNNL_ARG_BIAS, memory(&bias, e.b)};
    f.args[3] = (dnnl_exec_arg_t){DNNL_ARG_DST, memory(&dst, e.y)};
    f.count = 4;
    double reorders = 0;   // with its own layouts: channels-last input in, channels-last output out
    if (blocked) {
        dnnl_memory_desc_t plainSrc, plainDst;
        CHECK(dnnl_memory_desc_init_by_tag(&plainSrc, 4, srcDims, dnnl_f32, dnnl_nhwc));
        CHECK(dnnl_memory_desc_init_by_tag(&plainDst, 4, dstDims, dnnl_f32, dnnl_nhwc));
        float *plainX = filled(l->n * l->h * l->w * l->c), *plainY = filled(m * l->f);
        dnnl_primitive_desc_t rpd;
        Primitive in = {0}, out = {0};
        CHECK(dnnl_reorder_primitive_desc_create(&rpd, &plainSrc, engine, &src, engine, NULL));
        CHECK(dnnl_primitive_create(&in.p, rpd));
        in.args[0] = (dnnl_exec_arg_t){DNNL_ARG_FROM, memory(&plainSrc, plainX)};
        in.args[1] = (dnnl_exec_arg_t){DNNL_ARG_TO, memory(&src, e.x)};
        in.count = 2;
        CHECK(dnnl_reorder_primitive_desc_create(&rpd, &dst, engine, &plainDst, engine, NULL));
        CHECK(dnnl_primitive_create(&out.p, rpd));
        out.args[0] = (dnnl_exec_arg_t){DNNL_ARG_FROM, memory(&dst, e.y)};
        out.args[1] = (dnnl_exec_arg_t){DNNL_ARG_TO, memory(&plainDst, plainY)};
        out.count = 2;
        reorders = best_ms(runPrimitive, &in) + best_ms(runPrimitive, &out);
    }
    printf("  oneDNN, %s: forward %.2f ms (%s, bias and relu fused)", blocked ? "its own layouts (no reorders counted)" : "channels last", best_ms(runPrimitive, &f), implementation(fpd));
    if (backwardData) {
        CHECK(dnnl_convolution_backward_data_desc_init(&bdd, dnnl_convolution_direct, &srcAny, &weiAny, &dstAny, strides,
                                                       pad, pad));
        CHECK(dnnl_primitive_desc_create(&bdpd, &bdd, NULL, engine, fpd));
        Primitive b = {0};
        CHECK(dnnl_primitive_create(&b.p, bdpd));
        if (blocked) chosen(bdpd, dnnl_query_diff_src_md, dnnl_query_weights_md, dnnl_query_diff_dst_md, &src, &wei, &dst);
        b.args[0] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, memory(&dst, e.dy)};
        b.args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, memory(&wei, e.w)};
        b.args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, memory(&src, e.dx)};
        b.count = 3;
        printf(", backward data %.2f ms (%s)", best_ms(runPrimitive, &b), implementation(bdpd));
    }
    CHECK(dnnl_convolution_backward_weights_desc_init(&bwd, dnnl_convolution_direct, &srcAny, &weiAny, &bias, &dstAny,
                                                      strides, pad, pad));
    CHECK(dnnl_primitive_desc_create(&bwpd, &bwd, NULL, engine, fpd));
    Primitive w = {0};
    CHECK(dnnl_primitive_create(&w.p, bwpd));
    if (blocked) chosen(bwpd, dnnl_query_src_md, dnnl_query_diff_weights_md, dnnl_query_diff_dst_md, &src, &wei, &dst);
    w.args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, memory(&src, e.x)};
    w.args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, memory(&dst, e.dy)};
    w.args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS, memory(&wei, e.dw)};
    w.args[3] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_BIAS, memory(&bias, e.db)};
    w.count = 4;
    printf(", backward weights %.2f ms (%s)", best_ms(runPrimitive, &w), implementation(bwpd));
    if (blocked) printf("; reordering the forward's input and output from and to channels last: %.2f ms", reorders);
    printf("\n");
}

int main(void) {
    omp_set_num_threads(1);
    CHECK(dnnl_engine_create(&engine, dnnl_cpu, 0));
    CHECK(dnnl_stream_create(&stream, engine, dnnl_stream_default_flags));
    const Layer first = {128, 28, 28, 1, 3, 32, 26, 26}, second = {128, 13, 13, 32, 3, 64, 11, 11};
    for (int blocked = 0; blocked < 2; blocked++) {
        measure(&first, 0, blocked);
        measure(&second, 1, blocked);
    }
    return 0;
}
