// Allocation counting by symbol interposition. Each function counts the
// call in a thread-local counter and forwards to glibc's own entry points,
// __libc_malloc and the others, which glibc exports. It does not look the
// next malloc up with dlsym(RTLD_NEXT, ...), because dlsym itself may call
// calloc and would recurse into this file. free is not replaced: counting calls needs only
// the allocating side.

#include <errno.h>
#include <stddef.h>

#include "CStratusAllocationCounter.h"

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

// Thread-local, so that threads do not contend on the counter and each
// benchmark thread reads only its own calls.
static __thread unsigned long long allocations;

void *malloc(size_t size) {
    allocations++;
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size) {
    allocations++;
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size) {
    allocations++;
    return __libc_realloc(pointer, size);
}

void *memalign(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size) {
    allocations++;
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size) {
    if (alignment < sizeof(void *) || (alignment & (alignment - 1)) != 0) {
        return EINVAL;
    }
    allocations++;
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) {
        return ENOMEM;
    }
    *result = pointer;
    return 0;
}

unsigned long long cstratus_thread_allocations(void) {
    return allocations;
}
