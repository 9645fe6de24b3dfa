// CBLASShim.h: OpenBLAS's C interface for Swift.
// The header has its own name and guard: a wrapper called cblas.h with guard CBLAS_H would collide with
// Debian's cblas.h and silently import nothing.
#ifndef SWIFT_KERAS_CBLAS_SHIM_H
#define SWIFT_KERAS_CBLAS_SHIM_H
#include <cblas.h>
#endif
