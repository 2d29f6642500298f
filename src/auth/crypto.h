/* Passwords and tokens, over libsodium.
 *
 * Passwords: argon2id at libsodium's interactive limits (~70 ms, 64 MiB),
 * encoded with their parameters so limits can rise later.
 * Tokens: 256 random bits, base64url, with a prefix naming the kind
 * ("fcs_" session, "fck_" API key). Only a keyed BLAKE2b hash of a token is
 * ever stored; the key is the installation secret. */
#ifndef FC_AUTH_CRYPTO_H
#define FC_AUTH_CRYPTO_H
#include <stddef.h>
#include "core/err.h"

enum {
  FC_SECRET_BYTES = 32,
  FC_PWHASH_MAX = 128, /* crypto_pwhash_STRBYTES */
  FC_TOKEN_MAX = 64,   /* prefix + 43 base64url characters + NUL */
  FC_TOKEN_HASH_HEX = 65,
  FC_PASSWORD_MIN = 10,
  FC_PASSWORD_MAX = 1024
};

/* Must be called once before threads start (sodium_init). -1 on failure. */
int fc_crypto_init(void);

fc_err fc_password_hash(const char *password, char out[FC_PWHASH_MAX]) FC_MUST_CHECK;
/* 1 when password matches hash; 0 otherwise (also for a malformed hash). */
int fc_password_verify(const char *hash, const char *password);

/* A new token "<prefix><base64url of 32 random bytes>". */
void fc_token_new(const char *prefix, char out[FC_TOKEN_MAX]);
/* Keyed hash of a token as 64 hex characters. */
void fc_token_hash(const unsigned char key[FC_SECRET_BYTES], const char *token, char out[FC_TOKEN_HASH_HEX]);
/* Keyed derivation of a short public value from a token (CSRF), base64url. */
void fc_token_derive(const unsigned char key[FC_SECRET_BYTES], const char *label, const char *token,
                     char out[FC_TOKEN_MAX]);
/* Constant-time comparison of two NUL-terminated strings. */
int fc_secret_equal(const char *a, const char *b);

#endif
