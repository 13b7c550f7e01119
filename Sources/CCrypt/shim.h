#ifndef STRATUS_CCRYPT_SHIM_H
#define STRATUS_CCRYPT_SHIM_H

#include <crypt.h>

#endif
