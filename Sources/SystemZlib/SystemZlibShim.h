// The system zlib (zlib1g-dev), for gzip-compressed HDF5 chunks and the CRC-32 of zip entries.
#include <zlib.h>
