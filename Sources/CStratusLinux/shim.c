#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>

#include "CStratusLinux.h"

int cstratus_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}
