// CHDF5Shim.h: HDF5's C API for Swift, plus static inline helpers for what Swift cannot import.
// HDF5's predefined type and property-list ids are macros that call H5open() and read a global
// (e.g. `#define H5T_NATIVE_FLOAT (H5OPEN H5T_NATIVE_FLOAT_g)`), and H5P_DEFAULT / H5S_ALL / H5E_DEFAULT are
// cast expressions; Swift imports neither, so each gets a function here.
#ifndef SWIFT_KERAS_CHDF5_SHIM_H
#define SWIFT_KERAS_CHDF5_SHIM_H
#include <hdf5.h>

// Cast-expression macros.
static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }

// Predefined datatypes (globals initialised by H5open()).
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t chdf5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }

static inline hid_t chdf5_ieee_f32be(void) { return H5T_IEEE_F32BE; }
static inline hid_t chdf5_ieee_f64le(void) { return H5T_IEEE_F64LE; }
static inline hid_t chdf5_ieee_f64be(void) { return H5T_IEEE_F64BE; }

// The "undefined address" marker (a macro of type haddr_t).
static inline haddr_t chdf5_haddr_undef(void) { return HADDR_UNDEF; }

// Property-list classes.
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }

// Silences HDF5's automatic error stack printing: failures become Swift errors instead of stderr dumps.
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

// The variable-length size marker (a macro of type size_t).
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }
#endif
