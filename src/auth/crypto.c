#include <sodium.h>
#include <string.h>
#include "auth/crypto.h"

int fc_crypto_init(void) { return sodium_init() < 0 ? -1 : 0; }

fc_err fc_password_hash(const char *password, char out[FC_PWHASH_MAX]) {
  _Static_assert(crypto_pwhash_STRBYTES <= FC_PWHASH_MAX, "pwhash buffer");
  if (crypto_pwhash_str_alg(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
    return FC_ENOMEM;
  return FC_OK;
}

int fc_password_verify(const char *hash, const char *password) {
  if (!hash || !password) return 0;
  return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void fc_token_new(const char *prefix, char out[FC_TOKEN_MAX]) {
  unsigned char raw[32];
  randombytes_buf(raw, sizeof raw);
  size_t plen = strlen(prefix);
  memcpy(out, prefix, plen);
  sodium_bin2base64(out + plen, FC_TOKEN_MAX - plen, raw, sizeof raw,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(raw, sizeof raw);
}

void fc_token_hash(const unsigned char key[FC_SECRET_BYTES], const char *token, char out[FC_TOKEN_HASH_HEX]) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), key, FC_SECRET_BYTES);
  sodium_bin2hex(out, FC_TOKEN_HASH_HEX, h, sizeof h);
}

void fc_token_derive(const unsigned char key[FC_SECRET_BYTES], const char *label, const char *token,
                     char out[FC_TOKEN_MAX]) {
  unsigned char h[24];
  crypto_generichash_state st;
  crypto_generichash_init(&st, key, FC_SECRET_BYTES, sizeof h);
  crypto_generichash_update(&st, (const unsigned char *)label, strlen(label) + 1);
  crypto_generichash_update(&st, (const unsigned char *)token, strlen(token));
  crypto_generichash_final(&st, h, sizeof h);
  sodium_bin2base64(out, FC_TOKEN_MAX, h, sizeof h, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int fc_secret_equal(const char *a, const char *b) {
  if (!a || !b) return 0;
  size_t la = strlen(a), lb = strlen(b);
  if (la != lb) return 0; /* lengths are public (fixed by the token format) */
  return sodium_memcmp(a, b, la) == 0;
}
