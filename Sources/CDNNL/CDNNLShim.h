// CDNNLShim.h: oneDNN's C interface (its sgemm and CPU-ISA queries) and the few OpenMP entry points the tensor
// engine uses to run its own loops on the thread pool oneDNN already keeps (libgomp), so GEMM and elementwise
// work share one set of threads instead of two pools competing for the cores.
#ifndef SWIFT_KERAS_CDNNL_SHIM_H
#define SWIFT_KERAS_CDNNL_SHIM_H
#include <dnnl.h>

// libgomp's ABI (what `#pragma omp parallel` compiles to); gcc's omp.h is not on Swift's include path.
void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
int omp_get_thread_num(void);
int omp_get_num_threads(void);
int omp_get_max_threads(void);
#endif
