#ifndef C_STRATUS_LINUX_H
#define C_STRATUS_LINUX_H

// Linux calls that the Glibc module does not export. The header must not
// define _GNU_SOURCE: a system header compiled with different feature macros
// here than in the Glibc module makes the two modules' definitions clash.
// Calls that need _GNU_SOURCE are wrapped in shim.c instead.

#include <stdint.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>

// `struct epoll_event` is packed on x86_64, so Swift cannot form pointers to
// its members; these helpers read and write the union through C.
static inline int cstratus_epoll_event_fd(const struct epoll_event *event) {
    return event->data.fd;
}

static inline uint32_t cstratus_epoll_event_mask(const struct epoll_event *event) {
    return event->events;
}

static inline struct epoll_event cstratus_epoll_event_make(int fd, uint32_t mask) {
    struct epoll_event event;
    event.events = mask;
    event.data.u64 = 0;
    event.data.fd = fd;
    return event;
}

/// accept4(2) with no peer address: returns the new descriptor or -1 with errno set.
int cstratus_accept4(int fd, int flags);

/// posix_spawn_file_actions_addclosefrom_np(3) (glibc 2.34): the child closes
/// every descriptor from `lowest` up, so it inherits none of the parent's
/// sockets whatever their close-on-exec flag. Returns 0 or an error number.
int cstratus_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// The number of CPUs this thread may run on (sched_getaffinity(2)), which
/// `taskset` and container runtimes lower; 0 when the call fails.
int cstratus_allowed_cpu_count(void);

#endif
