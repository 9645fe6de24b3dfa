// Each thread's floating-point control state (x86-64: MXCSR; AArch64: FPCR): see CThreadPool.h.
#include "CThreadPool.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
static const unsigned flush_bits = 0x8040;      // FTZ (bit 15) and DAZ (bit 6)
static const unsigned status_bits = 0x3f;       // exception flags: state, not control
unsigned sk_float_mode(void) { return _mm_getcsr() & ~status_bits; }
void sk_set_float_mode(unsigned mode) {
    if (sk_float_mode() != mode) _mm_setcsr((_mm_getcsr() & status_bits) | mode);
}
#elif defined(__aarch64__)
static const unsigned flush_bits = 1u << 24;    // FPCR.FZ
unsigned sk_float_mode(void) {
    unsigned long fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr));
    return (unsigned)fpcr;
}
void sk_set_float_mode(unsigned mode) {
    if (sk_float_mode() != mode) {
        unsigned long fpcr = mode;
        __asm__ __volatile__("msr fpcr, %0" : : "r"(fpcr));
    }
}
#else
static const unsigned flush_bits = 0;
unsigned sk_float_mode(void) { return 0; }
void sk_set_float_mode(unsigned mode) { (void)mode; }
#endif

unsigned sk_flush_subnormals(void) {
    unsigned previous = sk_float_mode();
    sk_set_float_mode(previous | flush_bits);
    return previous;
}
