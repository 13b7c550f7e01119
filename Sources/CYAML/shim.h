#ifndef STRATUS_CYAML_SHIM_H
#define STRATUS_CYAML_SHIM_H

#include <yaml.h>

#endif
