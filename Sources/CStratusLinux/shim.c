#define _GNU_SOURCE
#include <stddef.h>
#include <sched.h>
#include <spawn.h>
#include <sys/socket.h>

#include "CStratusLinux.h"

int cstratus_accept4(int fd, int flags) {
    return accept4(fd, NULL, NULL, flags);
}

int cstratus_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

int cstratus_allowed_cpu_count(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) != 0) {
        return 0;
    }
    return CPU_COUNT(&set);
}
