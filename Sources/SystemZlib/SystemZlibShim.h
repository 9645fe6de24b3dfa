// The system zlib (zlib1g-dev), for gzip-compressed HDF5 chunks.
#include <zlib.h>
