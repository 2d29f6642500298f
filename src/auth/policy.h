/* The one access policy. Pure: plain data in, a decision out.
 *
 * Every handler asks here whether the caller may read or write a resource of
 * a given tenant (a dealer, a brand, or the installation), and list queries
 * ask here which slice of the data the caller's scope covers. A resource the
 * caller may not see is FC_ENOTFOUND (404), never a 403 that confirms it
 * exists; a visible resource the caller may not change is FC_EFORBIDDEN. */
#ifndef FC_AUTH_POLICY_H
#define FC_AUTH_POLICY_H
#include "core/err.h"
#include "core/id.h"

typedef enum fc_role {
  FC_ROLE_NONE = 0,
  FC_ROLE_ADMIN,
  FC_ROLE_BRAND_MANAGER,
  FC_ROLE_DEALER_ADMIN,
  FC_ROLE_SALES,
  FC_ROLE_SERVICE_ADVISOR,
  FC_ROLE_TECHNICIAN,
  FC_ROLE_API_KEY /* a dealer's integration key, not a person */
} fc_role;

typedef struct fc_principal {
  fc_role role;
  char id[FC_ID_LEN + 1];        /* user or API key id */
  char dealer_id[FC_ID_LEN + 1]; /* "" when none */
  char brand_id[FC_ID_LEN + 1];  /* "" when none */
  char token_hash[65];           /* the session's, for logout; "" for keys */
  int64_t expires_at;
} fc_principal;

typedef enum { FC_ACT_READ, FC_ACT_WRITE } fc_action;

typedef enum fc_resource {
  FC_RES_BRAND,   /* the brand catalogue */
  FC_RES_DEALER,  /* a dealer's own record and settings */
  FC_RES_USER,    /* staff accounts */
  FC_RES_API_KEY,
  FC_RES_AUDIT,
  FC_RES_DEALER_DATA /* customers, vehicles, bookings, leads of a dealer */
} fc_resource;

/* Where a resource lives: a dealer (with the brands it holds), a brand, or
 * the installation (all NULL). */
typedef struct fc_tenant {
  const char *dealer_id;
  const char *const *dealer_brands; /* brands the dealer holds */
  int ndealer_brands;
  const char *brand_id;
} fc_tenant;

/* FC_OK, FC_ENOTFOUND (invisible) or FC_EFORBIDDEN (visible, not allowed). */
fc_err fc_policy_check(const fc_principal *who, fc_action act, fc_resource res, const fc_tenant *t) FC_MUST_CHECK;

/* The slice of dealers a caller's lists cover. */
typedef enum { FC_SCOPE_NONE, FC_SCOPE_ALL, FC_SCOPE_BRAND, FC_SCOPE_DEALER } fc_scope_kind;
typedef struct fc_scope {
  fc_scope_kind kind;
  const char *id; /* brand id or dealer id (borrowed from the principal) */
} fc_scope;
fc_scope fc_policy_scope(const fc_principal *who);

/* Whether the caller may create or give an account with this role. */
fc_err fc_policy_may_assign(const fc_principal *who, fc_role role) FC_MUST_CHECK;

/* Role names as in the API ("admin", "sales", ...). */
const char *fc_role_name(fc_role r);
fc_role fc_role_parse(const char *name); /* FC_ROLE_NONE if unknown; never FC_ROLE_API_KEY */
int fc_role_is_dealer_staff(fc_role r);  /* dealer_admin, sales, service_advisor, technician */

#endif
