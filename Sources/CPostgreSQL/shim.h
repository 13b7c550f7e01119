#ifndef STRATUS_CPOSTGRESQL_SHIM_H
#define STRATUS_CPOSTGRESQL_SHIM_H

#include <libpq-fe.h>

#endif
