import CThreadPool
import Synchronization

/// Runs the engine's loops over the cores on its own thread pool (`CThreadPool`: one worker per extra core), which
/// GEMM shares: a product is split into blocks the pool runs, each block one single-threaded oneDNN call.
///
/// The calling thread works too and claims chunks dynamically, so a loop never waits for a worker that has not
/// started (on a busy machine, one the OS has not scheduled); idle workers spin briefly, then sleep. Loops started
/// from inside a chunk, or while another thread's loop holds the pool, run on the calling thread alone.
/// `OMP_NUM_THREADS` sets the thread count (`1` keeps a process on one core).
public enum Parallel {
    /// The number of threads a parallel loop uses: normally one per core this process may run on.
    public static let threadCount = Swift.max(1, sk_pool_thread_count())

    /// Below this many elements per thread, waking the other threads and moving the data to the other core's cache
    /// costs more than the work. Measured by hand on the 2-core Xeon (2026-12-01): 16,384 made the MNIST LSTM's epoch
    /// 15 % slower than 262,144 (5.8–6.3 s against 4.8–5.0 s on 30,000 images, two alternating runs), the seed
    /// recipe's and the convnet's epochs were within the machine's noise.
    public static let grain = 1 << 18

    /// Calls `body` on contiguous, disjoint chunks that together cover `0..<count`, one chunk per thread, in
    /// parallel when `count` is large enough (`grain` elements per thread), else once on this thread. Chunk
    /// boundaries fall on multiples of 16, so each chunk's vector loops start aligned.
    public static func forEachChunk(_ count: Int, grain: Int = Parallel.grain, _ body: (Range<Int>) -> Void) {
        let threads = Swift.min(threadCount, count / Swift.max(grain, 1))
        guard threads > 1, sk_pool_inside() == 0 else {
            if count > 0 { body(0..<count) }
            return
        }
        let per = ((count + threads - 1) / threads + 15) & ~15   // whole chunks of 16 that cover every element
        run((count + per - 1) / per) { chunk in body(chunk * per..<Swift.min(count, (chunk + 1) * per)) }
    }

    /// Runs `first` and `second` at the same time when a second thread is free (each may call GEMM, which then
    /// runs on its caller's thread alone), else one after the other.
    public static func both(_ first: () -> Void, _ second: () -> Void) {
        guard threadCount > 1, sk_pool_inside() == 0 else { first(); second(); return }
        run(2) { $0 == 0 ? first() : second() }
    }

    /// Calls `body(i)` for every `i` in `0..<count`: when `concurrently`, spread over the pool's threads, each call
    /// on one thread (loops and GEMM inside it run on that thread alone); otherwise in order on this thread. Throws
    /// the first error a call throws; calls not started by then are skipped.
    public static func forEach(_ count: Int, concurrently: Bool, _ body: (Int) throws -> Void) throws {
        guard concurrently, count > 1, threadCount > 1, sk_pool_inside() == 0 else {
            for i in 0..<count { try body(i) }
            return
        }
        let failure = Mutex<(any Error)?>(nil)
        sk_pool_count_tasks_here(1)   // GEMMClock times the products of this thread's tasks
        defer { sk_pool_count_tasks_here(0) }
        run(count) { i in
            guard failure.withLock({ $0 == nil }) else { return }
            do { try body(i) } catch { failure.withLock { if $0 == nil { $0 = error } } }
        }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// `forEach`, returning each call's result in index order.
    public static func map<T>(_ count: Int, concurrently: Bool, _ body: (Int) throws -> T) throws -> [T] {
        var results = [T?](repeating: nil, count: count)
        try results.withUnsafeMutableBufferPointer { slots in
            try forEach(count, concurrently: concurrently) { slots[$0] = try body($0) }
        }
        return results.map { $0! }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the pool; returns when all calls have returned.
    static func run(_ count: Int, _ body: (Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            var job = Job(body: body)
            withUnsafeMutablePointer(to: &job) { sk_pool_run(runJob, $0, count) }
        }
    }

    private struct Job {
        let body: (Int) -> Void
    }

    private static let runJob: @convention(c) (UnsafeMutableRawPointer?, Int) -> Void = { raw, index in
        raw?.assumingMemoryBound(to: Job.self).pointee.body(index)
    }
}
