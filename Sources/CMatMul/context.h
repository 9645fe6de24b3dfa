// What the engine's oneDNN primitives share (private to this target): the engine, each thread's stream and scratch
// memory, and a process-wide cache of objects created once per shape.
#ifndef SWIFT_KERAS_CMATMUL_CONTEXT_H
#define SWIFT_KERAS_CMATMUL_CONTEXT_H

#include <dnnl.h>
#include <stddef.h>

/// The CPU engine, created at the first call (null when oneDNN cannot create one).
dnnl_engine_t sk_engine(void);

/// The calling thread's stream (created at its first call, with OpenMP's thread count set to one on the thread, so
/// oneDNN runs on this thread only); null when it cannot be created.
dnnl_stream_t sk_this_threads_stream(void);

/// The calling thread's scratch buffer number `index` (0–3), at least `size` bytes, 64-byte aligned; grown when
/// needed, never freed; null when out of memory. A primitive runs on several threads at once (blocks of one product
/// or batch), so each thread brings its own scratch memory.
void *sk_this_threads_buffer(int index, size_t size);

/// Frees the calling thread's scratch buffers larger than `limit` bytes (a large model's activations would
/// otherwise stay allocated for the thread's life).
void sk_release_buffers_above(size_t limit);

/// The entry cached under the `key_size` bytes at `key`, created by `create(key, entry)` (which returns 0 on
/// success) at the first request and kept for the process's life; null when `create` fails or the cache is full
/// (the caller then computes another way). Thread-safe; `entry_size` bytes are allocated per entry.
typedef int (*sk_create_entry)(const void *key, void *entry);
const void *sk_cached(const void *key, size_t key_size, size_t entry_size, sk_create_entry create);

/// A primitive attribute with the scratchpad left to the caller (`sk_this_threads_buffer(0, …)`).
dnnl_primitive_attr_t sk_user_scratchpad_attr(void);

#endif
