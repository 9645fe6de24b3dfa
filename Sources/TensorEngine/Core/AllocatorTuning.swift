/// Keeps freed tensor buffers in the process instead of returning them to the kernel.
///
/// glibc serves blocks above 128 KiB with `mmap` and unmaps them on free, so every training step would fault in
/// and zero fresh pages for each large activation (a convnet epoch spent a third of its time in the kernel).
/// Raising the mmap and trim thresholds lets the allocator reuse those blocks.
///
/// **Opt-in.** The setting is the whole process's (`mallopt`), so the library never applies it by itself: a program
/// that owns its process and trains or predicts at length calls `AllocatorTuning.apply()` once at start, as the
/// `keras` command and the examples do. An app that embeds the library keeps its own malloc settings unless it
/// does the same.
public enum AllocatorTuning {
    private static let applied: Bool = {
        #if os(Linux)
        _ = glibcMallopt(-3, 32 << 20)    // M_MMAP_THRESHOLD (glibc caps it at 32 MiB)
        _ = glibcMallopt(-1, 512 << 20)   // M_TRIM_THRESHOLD
        #endif
        return true
    }()

    /// Applies the tuning to the whole process, once (calling it again does nothing).
    public static func apply() { _ = applied }
}

#if os(Linux)
/// glibc's `int mallopt(int param, int value)` from `<malloc.h>`, which the Glibc module does not export.
@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32
#endif
