#ifndef STRATUS_CCRYPTO_SHIM_H
#define STRATUS_CCRYPTO_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

// EVP_PKEY_PUBLIC_KEY combines selection macros that Swift cannot import.
static inline int stratus_evp_pkey_public_key_selection(void) {
    return EVP_PKEY_PUBLIC_KEY;
}

#endif
