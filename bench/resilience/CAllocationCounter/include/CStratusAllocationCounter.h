#ifndef C_STRATUS_ALLOCATION_COUNTER_H
#define C_STRATUS_ALLOCATION_COUNTER_H

// Counts heap allocations for stratus-resilience-bench. The target defines
// malloc, calloc, realloc, posix_memalign, aligned_alloc and memalign, and
// an executable that links it replaces the C library's versions for the
// whole process, including calls from the Swift runtime. Link it into
// benchmarks only.

/// The allocation calls made by the calling thread so far.
unsigned long long cstratus_thread_allocations(void);

#endif
