// CThreadPool: the tensor engine's threads. One worker per extra core, shared by every parallel loop and GEMM.
//
// Why not OpenMP's pool: libgomp's idle threads spin at each barrier for up to ~300,000 `pause` instructions
// (milliseconds on current CPUs) before sleeping, so on a machine with other busy processes the spinning threads
// take the cores the working ones need, and a training epoch ran 10–20× slower than on a quiet machine. Here a
// caller runs chunks itself and claims them dynamically, so it never waits for a worker that has not started;
// idle workers spin for a bounded time (microseconds) and then sleep on a futex.
#ifndef SWIFT_KERAS_CTHREADPOOL_H
#define SWIFT_KERAS_CTHREADPOOL_H

/// A task: called once for each index in [0, count), on the caller's thread or a worker.
typedef void (*sk_pool_task)(void *context, long index);

/// The number of threads a parallel loop can use: the caller plus the workers. `OMP_NUM_THREADS` (a positive
/// integer) sets it, as it did for OpenMP; otherwise the CPUs this process may run on.
long sk_pool_thread_count(void);

/// Runs `task(context, i)` for every `i` in [0, count), spread over the caller and the workers; returns when all
/// have finished. Indices are claimed dynamically, so the caller runs whatever no worker has taken. Calls made
/// from inside a task, or while another thread's job holds the pool, run on the calling thread alone.
void sk_pool_run(sk_pool_task task, void *context, long count);

/// Whether the calling thread is running a task of the pool (nested parallel work then runs inline).
int sk_pool_inside(void);

/// The calling thread's floating-point control state (x86-64: MXCSR without its exception flags; AArch64: FPCR).
/// A job's workers compute in the mode of the thread that started it (`sk_pool_run` hands it over), so where a
/// product's blocks run never changes its numbers.
unsigned sk_float_mode(void);

/// Sets the calling thread's floating-point control state to a value `sk_float_mode` returned.
void sk_set_float_mode(unsigned mode);

/// Makes the calling thread flush subnormal floats to zero, as results (x86 FTZ, AArch64 FZ) and as operands (x86
/// DAZ), which is how Keras's CPU backends compute (XLA for JAX, TensorFlow); returns the previous mode, for
/// `sk_set_float_mode`. Subnormal operands make x86 vector units take microcode assists, tens of times slower.
unsigned sk_flush_subnormals(void);

/// Marks the calling thread as running a job of whole tasks (each a batch, say) whose products GEMMClock times
/// on this thread (non-zero) or no longer (zero).
void sk_pool_count_tasks_here(int on);

/// GEMMClock: enters a timed span; returns non-zero when this span is to be timed (the outermost span on this
/// thread, outside the pool or in tasks of a job this thread started with `sk_pool_count_tasks_here`).
int sk_clock_enter(void);

/// GEMMClock: leaves the span `sk_clock_enter` entered.
void sk_clock_leave(void);

#endif
