/* Shared by the files of auth/ only. */
#ifndef FC_AUTH_INTERNAL_H
#define FC_AUTH_INTERNAL_H
#include <jansson.h>
#include <stdint.h>

/* The public document of a staff account (never its password hash). */
json_t *fc_user_doc(const char *id, const char *email, const char *name, const char *role, const char *dealer,
                    const char *brand, const char *locale, int64_t created);

struct fc_app;
/* Keyed hash of a token with the installation secret. */
void fc_auth_hash_token(struct fc_app *app, const char *token, char out[65]);

#endif
