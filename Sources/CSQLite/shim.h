#ifndef STRATUS_CSQLITE_SHIM_H
#define STRATUS_CSQLITE_SHIM_H

#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast of -1 to a function pointer, which Swift cannot
// import as a macro. Binding with it makes SQLite copy the bytes at once.
static inline sqlite3_destructor_type stratus_sqlite_transient(void) {
    return SQLITE_TRANSIENT;
}

#endif
