// The engine, streams, scratch buffers and primitive cache the engine's oneDNN primitives share.
#include "context.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void omp_set_num_threads(int num_threads);   // libgomp's ABI; gcc's omp.h is not on Swift's include path

static dnnl_engine_t engine;
static pthread_once_t engine_once = PTHREAD_ONCE_INIT;

static void create_engine(void) {
    dnnl_set_jit_profiling_flags(0);   // no VTune / perf record written per JIT-compiled kernel
    if (dnnl_engine_create(&engine, dnnl_cpu, 0) != dnnl_success) engine = 0;
}

dnnl_engine_t sk_engine(void) {
    pthread_once(&engine_once, create_engine);
    return engine;
}

dnnl_stream_t sk_this_threads_stream(void) {
    static _Thread_local dnnl_stream_t stream;
    if (!stream && sk_engine()) {
        omp_set_num_threads(1);
        if (dnnl_stream_create(&stream, engine, dnnl_stream_default_flags) != dnnl_success) stream = 0;
    }
    return stream;
}

static _Thread_local void *buffers[4];
static _Thread_local size_t capacities[4];

void *sk_this_threads_buffer(int index, size_t size) {
    if (index < 0 || index > 3) return 0;
    if (size > capacities[index]) {
        free(buffers[index]);
        capacities[index] = (size + 4095) & ~(size_t)4095;
        if (posix_memalign(&buffers[index], 64, capacities[index]) != 0) buffers[index] = 0, capacities[index] = 0;
    }
    return buffers[index];
}

void sk_release_buffers_above(size_t limit) {
    for (int i = 0; i < 4; i++) {
        if (capacities[i] <= limit) continue;
        free(buffers[i]);
        buffers[i] = 0, capacities[i] = 0;
    }
}

dnnl_primitive_attr_t sk_user_scratchpad_attr(void) {
    dnnl_primitive_attr_t attr = 0;
    if (dnnl_primitive_attr_create(&attr) != dnnl_success) return 0;
    if (dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user) != dnnl_success) {
        dnnl_primitive_attr_destroy(attr);
        return 0;
    }
    return attr;
}

// Open addressing over hashes of the keys; never more than half full. Entries live as long as the process (a
// primitive is a few KB of code).
enum { slot_count = 4096, key_capacity = 192 };
typedef struct {
    size_t key_size;
    unsigned char key[key_capacity];
    void *entry;   // null: an empty slot
} slot;
static slot table[slot_count];
static int used_slots;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t hash(const void *key, size_t size) {
    uint64_t h = 1469598103934665603ull;
    const unsigned char *p = key;
    for (size_t i = 0; i < size; i++) h = (h ^ p[i]) * 1099511628211ull;
    return (size_t)(h & (slot_count - 1));
}

const void *sk_cached(const void *key, size_t key_size, size_t entry_size, sk_create_entry create) {
    if (key_size > key_capacity) return 0;
    pthread_mutex_lock(&table_lock);
    size_t i = hash(key, key_size);
    while (table[i].entry && (table[i].key_size != key_size || memcmp(table[i].key, key, key_size) != 0))
        i = (i + 1) & (slot_count - 1);
    void *found = table[i].entry;
    if (!found && used_slots < slot_count / 2) {
        void *entry = calloc(1, entry_size);
        if (entry && create(key, entry) == 0) {
            table[i].key_size = key_size;
            memcpy(table[i].key, key, key_size);
            table[i].entry = entry;
            used_slots++;
            found = entry;
        } else {
            free(entry);
        }
    }
    pthread_mutex_unlock(&table_lock);
    return found;
}
