// CDNNLShim.h: oneDNN's C interface (its sgemm and CPU-ISA queries), and the one OpenMP call the engine needs.
// oneDNN on Debian runs its threads on OpenMP (libgomp). The engine never lets it start them: GEMM splits a
// product over its own pool (CThreadPool) and each thread calls oneDNN with OpenMP's thread count set to one, so
// no OpenMP team exists to spin at barriers.
#ifndef SWIFT_KERAS_CDNNL_SHIM_H
#define SWIFT_KERAS_CDNNL_SHIM_H
#include <dnnl.h>

// libgomp's ABI; gcc's omp.h is not on Swift's include path.
void omp_set_num_threads(int num_threads);
int omp_get_max_threads(void);

/// Sets the calling thread's OpenMP thread count to one, once per thread, so oneDNN runs on the calling thread.
static inline void sk_dnnl_run_on_this_thread(void) {
    static _Thread_local int done;
    if (!done) {
        omp_set_num_threads(1);
        done = 1;
    }
}

#endif
