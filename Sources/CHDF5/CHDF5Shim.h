// CHDF5Shim.h: HDF5's C API for Swift, plus static inline helpers for what Swift cannot import.
#ifndef SWIFT_KERAS_CHDF5_SHIM_H
#define SWIFT_KERAS_CHDF5_SHIM_H
#include <hdf5.h>
#endif
