// Convolutions on oneDNN's convolution primitives: one pass (forward, backward data or backward weights) per shape,
// created on first use and kept with the reorders between Keras's layouts and the primitive's own.
#include "CConvolution.h"
#include "context.h"

#include <string.h>

enum { pass_forward, pass_backward_data, pass_backward_weights };

typedef struct {
    sk_conv_shape shape;
    long kind;
} pass_key;

/// One pass: its three operands in call order — (x, w, y) forward, (dy, w, dx) backward data, (x, dy, dw) backward
/// weights — the first two read, the third written.
typedef struct {
    dnnl_primitive_t convolution;
    int args[3];
    dnnl_memory_desc_t plain[3], inner[3];   // Keras's layouts, and the primitive's own
    dnnl_primitive_t reorder[3];             // plain → inner for the inputs, inner → plain for the output; or null
    dnnl_memory_desc_t scratchpad, reorder_scratchpad[3];
} pass;

/// The input, kernel and output descriptors in Keras's layouts (`any`: oneDNN picks its own).
static int describe(const sk_conv_shape *s, int any, dnnl_memory_desc_t *x, dnnl_memory_desc_t *w, dnnl_memory_desc_t *y) {
    long r = s->rank;
    if (r < 1 || r > 3) return 1;
    dnnl_dims_t xd = {s->n, s->c}, wd = {s->f, s->c}, yd = {s->n, s->f};
    for (long i = 0; i < r; i++) xd[2 + i] = s->in[3 - r + i], wd[2 + i] = s->kernel[3 - r + i], yd[2 + i] = s->out[3 - r + i];
    dnnl_format_tag_t data = any ? dnnl_format_tag_any : r == 1 ? dnnl_nwc : r == 2 ? dnnl_nhwc : dnnl_ndhwc;
    dnnl_format_tag_t kernel = any ? dnnl_format_tag_any : r == 1 ? dnnl_wio : r == 2 ? dnnl_hwio : dnnl_dhwio;
    return dnnl_memory_desc_init_by_tag(x, (int)r + 2, xd, dnnl_f32, data) != dnnl_success
        || dnnl_memory_desc_init_by_tag(w, (int)r + 2, wd, dnnl_f32, kernel) != dnnl_success
        || dnnl_memory_desc_init_by_tag(y, (int)r + 2, yd, dnnl_f32, data) != dnnl_success;
}

/// The descriptor of `kind` with oneDNN's chosen layouts.
static int describe_pass(const sk_conv_shape *s, long kind, dnnl_convolution_desc_t *d) {
    dnnl_memory_desc_t x, w, y;
    if (describe(s, 1, &x, &w, &y)) return 1;
    long r = s->rank;
    dnnl_dims_t strides, dilates, before, after;
    for (long i = 0; i < r; i++) {
        long j = 3 - r + i, extent = (s->kernel[j] - 1) * s->dilation[j] + 1;
        long pad_after = (s->out[j] - 1) * s->strides[j] + extent - s->in[j] - s->pad_before[j];
        strides[i] = s->strides[j], dilates[i] = s->dilation[j] - 1, before[i] = s->pad_before[j];
        after[i] = pad_after > 0 ? pad_after : 0;   // a window that stops short of the end leaves inputs unread
    }
    dnnl_alg_kind_t direct = dnnl_convolution_direct;
    if (kind == pass_forward)
        return dnnl_dilated_convolution_forward_desc_init(d, dnnl_forward_training, direct, &x, &w, 0, &y, strides,
                                                          dilates, before, after) != dnnl_success;
    if (kind == pass_backward_data)
        return dnnl_dilated_convolution_backward_data_desc_init(d, direct, &x, &w, &y, strides, dilates, before,
                                                                after) != dnnl_success;
    return dnnl_dilated_convolution_backward_weights_desc_init(d, direct, &x, &w, 0, &y, strides, dilates, before,
                                                               after) != dnnl_success;
}

/// A reorder between two layouts of one tensor, with its scratchpad left to the caller.
static int create_reorder(const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to, dnnl_primitive_t *reorder,
                          dnnl_memory_desc_t *scratchpad) {
    dnnl_primitive_attr_t attr = sk_user_scratchpad_attr();
    dnnl_primitive_desc_t pd = 0;
    dnnl_status_t s = attr ? dnnl_reorder_primitive_desc_create(&pd, from, sk_engine(), to, sk_engine(), attr)
                           : dnnl_out_of_memory;
    if (s == dnnl_success) {
        *scratchpad = *dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        s = dnnl_primitive_create(reorder, pd);
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (attr) dnnl_primitive_attr_destroy(attr);
    return s != dnnl_success;
}

static void destroy_pass(pass *p) {
    if (p->convolution) dnnl_primitive_destroy(p->convolution);
    for (int i = 0; i < 3; i++) if (p->reorder[i]) dnnl_primitive_destroy(p->reorder[i]);
    memset(p, 0, sizeof *p);
}

static int create_pass(const void *raw_key, void *raw_entry) {
    const pass_key *key = raw_key;
    pass *p = raw_entry;
    dnnl_convolution_desc_t forward_desc, desc;
    if (describe_pass(&key->shape, pass_forward, &forward_desc) || describe_pass(&key->shape, key->kind, &desc)) return 1;
    dnnl_primitive_attr_t attr = sk_user_scratchpad_attr();
    if (!attr) return 1;
    dnnl_primitive_desc_t hint = 0, pd = 0;
    dnnl_status_t s = dnnl_primitive_desc_create(&hint, &forward_desc, attr, sk_engine(), 0);
    if (s == dnnl_success) s = key->kind == pass_forward ? dnnl_primitive_desc_clone(&pd, hint)
                                                         : dnnl_primitive_desc_create(&pd, &desc, attr, sk_engine(), hint);
    dnnl_primitive_attr_destroy(attr);
    dnnl_memory_desc_t x, w, y;
    int failed = s != dnnl_success || describe(&key->shape, 0, &x, &w, &y);
    if (!failed) {
        static const dnnl_query_t queries[3][3] = {
            {dnnl_query_src_md, dnnl_query_weights_md, dnnl_query_dst_md},
            {dnnl_query_diff_dst_md, dnnl_query_weights_md, dnnl_query_diff_src_md},
            {dnnl_query_src_md, dnnl_query_diff_dst_md, dnnl_query_diff_weights_md},
        };
        static const int args[3][3] = {
            {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST},
            {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
            {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
        };
        const dnnl_memory_desc_t plain[3][3] = {{x, w, y}, {y, w, x}, {x, y, w}};
        for (int i = 0; i < 3 && !failed; i++) {
            p->args[i] = args[key->kind][i];
            p->plain[i] = plain[key->kind][i];
            p->inner[i] = *dnnl_primitive_desc_query_md(pd, queries[key->kind][i], 0);
            if (!dnnl_memory_desc_equal(&p->plain[i], &p->inner[i]))
                failed = i < 2 ? create_reorder(&p->plain[i], &p->inner[i], &p->reorder[i], &p->reorder_scratchpad[i])
                               : create_reorder(&p->inner[i], &p->plain[i], &p->reorder[i], &p->reorder_scratchpad[i]);
        }
        p->scratchpad = *dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0);
        if (!failed) failed = dnnl_primitive_create(&p->convolution, pd) != dnnl_success;
    }
    if (pd) dnnl_primitive_desc_destroy(pd);
    if (hint) dnnl_primitive_desc_destroy(hint);
    if (failed) destroy_pass(p);
    return failed;
}

/// Runs `primitive` on `count` (argument, descriptor, data) triples plus its scratchpad (the calling thread's
/// buffer 0).
static dnnl_status_t run(dnnl_primitive_t primitive, const dnnl_memory_desc_t *scratchpad, int count,
                         const int *args, const dnnl_memory_desc_t *const *descs, void *const *data) {
    dnnl_exec_arg_t exec[4];
    dnnl_memory_t memories[4] = {0};
    dnnl_status_t s = dnnl_success;
    size_t scratch_size = dnnl_memory_desc_get_size(scratchpad);
    for (int i = 0; i < count && s == dnnl_success; i++) {
        s = dnnl_memory_create(&memories[i], descs[i], sk_engine(), data[i]);
        exec[i] = (dnnl_exec_arg_t){args[i], memories[i]};
    }
    if (s == dnnl_success && scratch_size) {
        void *scratch = sk_this_threads_buffer(0, scratch_size);
        s = scratch ? dnnl_memory_create(&memories[count], scratchpad, sk_engine(), scratch) : dnnl_out_of_memory;
        exec[count] = (dnnl_exec_arg_t){DNNL_ARG_SCRATCHPAD, memories[count]};
    }
    if (s == dnnl_success)
        s = dnnl_primitive_execute(primitive, sk_this_threads_stream(), count + (scratch_size ? 1 : 0), exec);
    for (int i = 0; i < 4; i++) if (memories[i]) dnnl_memory_destroy(memories[i]);
    return s;
}

static int run_pass(const sk_conv_shape *shape, long kind, const float *first, const float *second, float *result) {
    if (!sk_this_threads_stream()) return 1;
    pass_key key;
    memset(&key, 0, sizeof key);   // padding bytes take part in hashing and comparison
    key.shape = *shape, key.kind = kind;
    const pass *p = sk_cached(&key, sizeof key, sizeof(pass), create_pass);
    if (!p) return 1;
    void *outer[3] = {(void *)first, (void *)second, result}, *inner[3];
    dnnl_status_t s = dnnl_success;
    for (int i = 0; i < 3 && s == dnnl_success; i++) {
        inner[i] = outer[i];
        if (!p->reorder[i]) continue;
        inner[i] = sk_this_threads_buffer(1 + i, dnnl_memory_desc_get_size(&p->inner[i]));
        if (!inner[i]) return 1;
        if (i == 2) continue;   // the output is reordered after the convolution
        const dnnl_memory_desc_t *descs[2] = {&p->plain[i], &p->inner[i]};
        void *data[2] = {outer[i], inner[i]};
        s = run(p->reorder[i], &p->reorder_scratchpad[i], 2, (const int[]){DNNL_ARG_FROM, DNNL_ARG_TO}, descs, data);
    }
    if (s == dnnl_success) {
        const dnnl_memory_desc_t *descs[3] = {&p->inner[0], &p->inner[1], &p->inner[2]};
        s = run(p->convolution, &p->scratchpad, 3, p->args, descs, inner);
    }
    if (s == dnnl_success && p->reorder[2]) {
        const dnnl_memory_desc_t *descs[2] = {&p->inner[2], &p->plain[2]};
        void *data[2] = {inner[2], outer[2]};
        s = run(p->reorder[2], &p->reorder_scratchpad[2], 2, (const int[]){DNNL_ARG_FROM, DNNL_ARG_TO}, descs, data);
    }
    sk_release_buffers_above(64 << 20);   // a small model's buffers are kept from call to call, a large one's not
    return s != dnnl_success;
}

int sk_conv_forward(const sk_conv_shape *shape, const float *x, const float *w, float *y) {
    return run_pass(shape, pass_forward, x, w, y);
}

int sk_conv_backward_data(const sk_conv_shape *shape, const float *dy, const float *w, float *dx) {
    return run_pass(shape, pass_backward_data, dy, w, dx);
}

int sk_conv_backward_weights(const sk_conv_shape *shape, const float *x, const float *dy, float *dw) {
    return run_pass(shape, pass_backward_weights, x, dy, dw);
}
