/* Idempotency-Key: a retried write returns the first answer, not a second effect.
 * Successful answers are stored per caller and key for 24 hours. */
#ifndef FC_HTTP_IDEMPOTENCY_H
#define FC_HTTP_IDEMPOTENCY_H
#include "http/http.h"

/* Reserves who+key for this request and returns 0; or, when the key was
 * answered before (or is being answered now), replies and returns 1. */
int fc_idempotency_replay(fc_req *r, const char *who, const char *key);
/* Stores a successful reply just made for who+key, or frees the key. */
void fc_idempotency_remember(fc_req *r, const char *who, const char *key);

#endif
