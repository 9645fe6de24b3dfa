import CDNNL
#if canImport(Glibc)
import Glibc
#endif

/// Runs a loop over the cores on OpenMP's thread pool — the one oneDNN's GEMM already uses, so elementwise work
/// and GEMM take turns on the same threads and no second pool spins beside them.
public enum Parallel {
    /// The number of threads a parallel loop uses (OpenMP's, normally one per core).
    public static let threadCount = Swift.max(1, Int(omp_get_max_threads()))

    /// Below this many elements per thread, waking the other threads costs more than the work.
    public static let grain = 16_384

    /// Calls `body` on contiguous, disjoint chunks that together cover `0..<count`, one chunk per thread, in
    /// parallel when `count` is large enough (`grain` elements per thread), else once on this thread. Chunk
    /// boundaries fall on multiples of 16, so each chunk's vector loops start aligned.
    public static func forEachChunk(_ count: Int, grain: Int = Parallel.grain, _ body: (Range<Int>) -> Void) {
        let threads = Swift.min(threadCount, count / Swift.max(grain, 1))
        guard threads > 1 else {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = Job(count: count, body: body)
            withUnsafeMutablePointer(to: &job) { job in
                ThreadSanitizer.release(job)
                GOMP_parallel(runChunk, job, UInt32(threads), 0)
                ThreadSanitizer.acquire(job)
            }
        }
    }

    private struct Job {
        let count: Int
        let body: (Range<Int>) -> Void
    }

    private static let runChunk: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
        ThreadSanitizer.acquire(raw)
        defer { ThreadSanitizer.release(raw) }
        guard let job = raw?.assumingMemoryBound(to: Job.self).pointee else { return }
        let (t, n) = (Int(omp_get_thread_num()), Int(omp_get_num_threads()))
        let per = ((job.count + n - 1) / n + 15) & ~15   // whole chunks of 16 that cover every element
        let range = Swift.min(job.count, t * per)..<Swift.min(job.count, (t + 1) * per)
        if !range.isEmpty { job.body(range) }
    }

    /// Runs `first` and `second` at the same time, one per thread (each may call GEMM, which then runs on its
    /// caller's thread alone), or one after the other when there is one thread.
    public static func both(_ first: () -> Void, _ second: () -> Void) {
        guard threadCount > 1 else { first(); second(); return }
        withoutActuallyEscaping(first) { first in
            withoutActuallyEscaping(second) { second in
                var pair = Pair(first: first, second: second)
                withUnsafeMutablePointer(to: &pair) { pair in
                    ThreadSanitizer.release(pair)
                    GOMP_parallel(runPair, pair, 2, 0)
                    ThreadSanitizer.acquire(pair)
                }
            }
        }
    }

    private struct Pair {
        let first: () -> Void
        let second: () -> Void
    }

    private static let runPair: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
        ThreadSanitizer.acquire(raw)
        defer { ThreadSanitizer.release(raw) }
        guard let pair = raw?.assumingMemoryBound(to: Pair.self).pointee else { return }
        switch (Int(omp_get_thread_num()), Int(omp_get_num_threads())) {
        case (0, 1): pair.first(); pair.second()   // a team of one (nested, or OMP_NUM_THREADS=1)
        case (0, _): pair.first()
        case (1, _): pair.second()
        default: break
        }
    }
}

/// Tells the thread sanitizer, when the process runs under it, about the ordering OpenMP's fork and join give:
/// everything the starting thread did happens before each worker runs its share, and everything each worker did
/// happens before the region returns. libgomp synchronises with futexes the sanitizer cannot see (it is not built
/// with the sanitizer), so without these annotations every parallel loop would be reported as a race. Outside the
/// sanitizer the annotation functions do not exist and each call is one test of a nil pointer.
enum ThreadSanitizer {
    private typealias Annotation = @convention(c) (UnsafeRawPointer?) -> Void

    private static let annotations: (acquire: Annotation, release: Annotation)? = {
        #if canImport(Glibc)
        guard let acquire = dlsym(nil, "__tsan_acquire"), let release = dlsym(nil, "__tsan_release") else { return nil }
        return (unsafeBitCast(acquire, to: Annotation.self), unsafeBitCast(release, to: Annotation.self))
        #else
        return nil
        #endif
    }()

    /// The calling thread sees everything done before the last `release` of `address`.
    static func acquire(_ address: UnsafeRawPointer?) { annotations?.acquire(address) }

    /// Everything the calling thread did so far is seen by a later `acquire` of `address`.
    static func release(_ address: UnsafeRawPointer?) { annotations?.release(address) }
}
