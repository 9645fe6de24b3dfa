// CHDF5Shim.h: HDF5's C API for Swift, plus static inline helpers for what Swift cannot import.
//
// Why the helpers exist: HDF5's predefined datatype and property-list-class ids are macros that call H5open() and
// then read a global (e.g. `#define H5T_NATIVE_FLOAT (H5OPEN H5T_NATIVE_FLOAT_g)`); H5P_DEFAULT, H5S_ALL and
// H5E_DEFAULT are cast expressions (and H5P_DEFAULT would import as Int32 while hid_t is Int64); the H5F_ACC_* flags
// are parenthesised unsigned expressions. Swift imports none of these, so each gets a function here.
// Every symbol is prefixed `chdf5_`.
#ifndef SWIFT_KERAS_CHDF5_SHIM_H
#define SWIFT_KERAS_CHDF5_SHIM_H
#include <hdf5.h>

// Cast-expression ids (`(hid_t)0`): the default property list, "the whole dataspace", the default error stack.
static inline hid_t chdf5_p_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_s_all(void) { return H5S_ALL; }
static inline hid_t chdf5_e_default(void) { return H5E_DEFAULT; }

// File access flag (a macro of an unsigned expression).
static inline unsigned chdf5_f_acc_trunc(void) { return H5F_ACC_TRUNC; }

// Native (memory) datatypes: globals initialised by H5open(), reached through H5OPEN macros.
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }

// File (standard) datatypes, as h5py writes `<f4`, `<i4`, `<i8`, and the C string type strings are copied from.
static inline hid_t chdf5_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t chdf5_std_i32le(void) { return H5T_STD_I32LE; }
static inline hid_t chdf5_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }

// Property-list classes (H5OPEN macros too).
static inline hid_t chdf5_p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t chdf5_p_group_create(void) { return H5P_GROUP_CREATE; }
static inline hid_t chdf5_p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t chdf5_p_link_create(void) { return H5P_LINK_CREATE; }

// The variable-length size marker (a macro-only definition).
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }

// Silences HDF5's automatic error-stack printing on the calling thread (H5E_DEFAULT is a cast macro):
// failures become Swift errors instead of stderr dumps.
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
