#include <string.h>
#include "auth/policy.h"

static const char *const role_names[] = {"none", "admin", "brand_manager", "dealer_admin", "sales",
                                         "service_advisor", "technician", "api_key"};

const char *fc_role_name(fc_role r) {
  return (unsigned)r < sizeof role_names / sizeof role_names[0] ? role_names[r] : "none";
}

fc_role fc_role_parse(const char *name) {
  if (!name) return FC_ROLE_NONE;
  for (int i = FC_ROLE_ADMIN; i <= FC_ROLE_TECHNICIAN; i++)
    if (strcmp(name, role_names[i]) == 0) return (fc_role)i;
  return FC_ROLE_NONE;
}

int fc_role_is_dealer_staff(fc_role r) {
  return r == FC_ROLE_DEALER_ADMIN || r == FC_ROLE_SALES || r == FC_ROLE_SERVICE_ADVISOR ||
         r == FC_ROLE_TECHNICIAN;
}

static int same(const char *a, const char *b) { return a && b && *a && strcmp(a, b) == 0; }

static int dealer_holds(const fc_tenant *t, const char *brand) {
  for (int i = 0; i < t->ndealer_brands; i++)
    if (same(t->dealer_brands[i], brand)) return 1;
  return 0;
}

/* Can the caller see anything of this tenant at all? */
static int visible(const fc_principal *who, const fc_tenant *t) {
  if (who->role == FC_ROLE_ADMIN) return 1;
  if (!t->dealer_id && !t->brand_id) return 1; /* installation-level: the catalogue */
  if (who->role == FC_ROLE_BRAND_MANAGER) {
    if (t->dealer_id) return dealer_holds(t, who->brand_id);
    return same(t->brand_id, who->brand_id);
  }
  if (fc_role_is_dealer_staff(who->role) || who->role == FC_ROLE_API_KEY)
    return t->dealer_id && same(t->dealer_id, who->dealer_id);
  return 0;
}

fc_err fc_policy_check(const fc_principal *who, fc_action act, fc_resource res, const fc_tenant *t) {
  static const fc_tenant none = {0};
  if (!who || who->role == FC_ROLE_NONE) return FC_ENOTFOUND;
  if (!t) t = &none;
  if (!visible(who, t)) return FC_ENOTFOUND;
  if (who->role == FC_ROLE_ADMIN) return FC_OK;
  int own_dealer = t->dealer_id && same(t->dealer_id, who->dealer_id);
  switch (res) {
  case FC_RES_BRAND:
    return act == FC_ACT_READ ? FC_OK : FC_EFORBIDDEN;
  case FC_RES_DEALER:
    if (act == FC_ACT_READ) return t->dealer_id || who->role != FC_ROLE_API_KEY ? FC_OK : FC_EFORBIDDEN;
    return who->role == FC_ROLE_DEALER_ADMIN && own_dealer ? FC_OK : FC_EFORBIDDEN;
  case FC_RES_USER:
    if (who->role == FC_ROLE_API_KEY) return FC_EFORBIDDEN;
    if (act == FC_ACT_READ) return FC_OK;
    return who->role == FC_ROLE_DEALER_ADMIN && own_dealer ? FC_OK : FC_EFORBIDDEN;
  case FC_RES_API_KEY:
  case FC_RES_AUDIT:
    return who->role == FC_ROLE_DEALER_ADMIN && own_dealer ? FC_OK : FC_EFORBIDDEN;
  case FC_RES_DEALER_DATA:
    /* The brand sees its dealers' aggregates, not their customers. */
    if (who->role == FC_ROLE_BRAND_MANAGER) return FC_EFORBIDDEN;
    return own_dealer ? FC_OK : FC_ENOTFOUND;
  }
  return FC_EFORBIDDEN;
}

fc_scope fc_policy_scope(const fc_principal *who) {
  fc_scope s = {FC_SCOPE_NONE, NULL};
  if (!who) return s;
  if (who->role == FC_ROLE_ADMIN) {
    s.kind = FC_SCOPE_ALL;
  } else if (who->role == FC_ROLE_BRAND_MANAGER && who->brand_id[0]) {
    s.kind = FC_SCOPE_BRAND;
    s.id = who->brand_id;
  } else if ((fc_role_is_dealer_staff(who->role) || who->role == FC_ROLE_API_KEY) && who->dealer_id[0]) {
    s.kind = FC_SCOPE_DEALER;
    s.id = who->dealer_id;
  }
  return s;
}

fc_err fc_policy_may_assign(const fc_principal *who, fc_role role) {
  if (!who) return FC_EFORBIDDEN;
  if (who->role == FC_ROLE_ADMIN) return FC_OK;
  if (who->role == FC_ROLE_DEALER_ADMIN && fc_role_is_dealer_staff(role)) return FC_OK;
  return FC_EFORBIDDEN;
}
