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

// SHA-256 of one buffer through the low-level interface. In OpenSSL 3 the
// one-shot SHA256() looks the digest up among the providers on every call,
// under a lock, which costs more than hashing a short input.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline void stratus_sha256(const void *data, size_t count, unsigned char *digest) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(digest, &context);
}
#pragma GCC diagnostic pop

#endif
