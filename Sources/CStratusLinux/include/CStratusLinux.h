#ifndef C_STRATUS_LINUX_H
#define C_STRATUS_LINUX_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

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

static inline int cstratus_errno(void) { return errno; }

static inline int cstratus_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}

#endif
