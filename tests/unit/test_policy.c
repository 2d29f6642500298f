/* The access policy, role by role, own tenant and other tenant. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "auth/policy.h"

static const char *amstel_brands[] = {"AURORA", "BOREALIS"};
static const fc_tenant amstel = {.dealer_id = "AMSTEL", .dealer_brands = amstel_brands, .ndealer_brands = 2};
static const char *montreal_brands[] = {"BOREALIS", "CIRRUS"};
static const fc_tenant montreal = {.dealer_id = "MONTREAL", .dealer_brands = montreal_brands, .ndealer_brands = 2};
static const fc_tenant aurora_hq = {.brand_id = "AURORA"};

static fc_principal who(fc_role role, const char *dealer, const char *brand) {
  fc_principal p;
  memset(&p, 0, sizeof p);
  p.role = role;
  snprintf(p.id, sizeof p.id, "%s", "U1");
  if (dealer) snprintf(p.dealer_id, sizeof p.dealer_id, "%s", dealer);
  if (brand) snprintf(p.brand_id, sizeof p.brand_id, "%s", brand);
  return p;
}

typedef struct row {
  fc_role role;
  const char *dealer, *brand;
  fc_action act;
  fc_resource res;
  const fc_tenant *t;
  fc_err want;
} row;

static void table(void **state) {
  const row rows[] = {
      /* admin: everything */
      {FC_ROLE_ADMIN, NULL, NULL, FC_ACT_WRITE, FC_RES_DEALER, &montreal, FC_OK},
      {FC_ROLE_ADMIN, NULL, NULL, FC_ACT_WRITE, FC_RES_BRAND, NULL, FC_OK},
      {FC_ROLE_ADMIN, NULL, NULL, FC_ACT_READ, FC_RES_AUDIT, &amstel, FC_OK},
      /* brand manager: dealers holding the brand, read-only; others invisible */
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_READ, FC_RES_DEALER, &amstel, FC_OK},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_WRITE, FC_RES_DEALER, &amstel, FC_EFORBIDDEN},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_READ, FC_RES_DEALER, &montreal, FC_ENOTFOUND},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_READ, FC_RES_USER, &aurora_hq, FC_OK},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_READ, FC_RES_DEALER_DATA, &amstel, FC_EFORBIDDEN},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_READ, FC_RES_DEALER_DATA, &montreal, FC_ENOTFOUND},
      {FC_ROLE_BRAND_MANAGER, NULL, "AURORA", FC_ACT_WRITE, FC_RES_BRAND, NULL, FC_EFORBIDDEN},
      /* dealer admin: own dealer, its staff, keys and audit */
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_DEALER, &amstel, FC_OK},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_DEALER, &montreal, FC_ENOTFOUND},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_USER, &amstel, FC_OK},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_API_KEY, &amstel, FC_OK},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_READ, FC_RES_AUDIT, &amstel, FC_OK},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_READ, FC_RES_AUDIT, &montreal, FC_ENOTFOUND},
      {FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL, FC_ACT_READ, FC_RES_USER, &aurora_hq, FC_ENOTFOUND},
      /* staff: read own dealer, nothing else */
      {FC_ROLE_SALES, "AMSTEL", NULL, FC_ACT_READ, FC_RES_DEALER, &amstel, FC_OK},
      {FC_ROLE_SALES, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_DEALER, &amstel, FC_EFORBIDDEN},
      {FC_ROLE_SALES, "AMSTEL", NULL, FC_ACT_READ, FC_RES_DEALER, &montreal, FC_ENOTFOUND},
      {FC_ROLE_SALES, "AMSTEL", NULL, FC_ACT_READ, FC_RES_DEALER_DATA, &amstel, FC_OK},
      {FC_ROLE_SALES, "AMSTEL", NULL, FC_ACT_READ, FC_RES_DEALER_DATA, &montreal, FC_ENOTFOUND},
      {FC_ROLE_SERVICE_ADVISOR, "AMSTEL", NULL, FC_ACT_READ, FC_RES_AUDIT, &amstel, FC_EFORBIDDEN},
      {FC_ROLE_TECHNICIAN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_API_KEY, &amstel, FC_EFORBIDDEN},
      {FC_ROLE_TECHNICIAN, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_USER, &amstel, FC_EFORBIDDEN},
      /* API key: its dealer's data only */
      {FC_ROLE_API_KEY, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_DEALER_DATA, &amstel, FC_OK},
      {FC_ROLE_API_KEY, "AMSTEL", NULL, FC_ACT_WRITE, FC_RES_DEALER_DATA, &montreal, FC_ENOTFOUND},
      {FC_ROLE_API_KEY, "AMSTEL", NULL, FC_ACT_READ, FC_RES_USER, &amstel, FC_EFORBIDDEN},
      /* nobody */
      {FC_ROLE_NONE, NULL, NULL, FC_ACT_READ, FC_RES_BRAND, NULL, FC_ENOTFOUND},
  };
  for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    fc_principal p = who(rows[i].role, rows[i].dealer, rows[i].brand);
    fc_err got = fc_policy_check(&p, rows[i].act, rows[i].res, rows[i].t);
    if (got != rows[i].want) fail_msg("row %zu: role %s got %d want %d", i, fc_role_name(rows[i].role), got, rows[i].want);
  }
}

static void scopes(void **state) {
  fc_principal a = who(FC_ROLE_ADMIN, NULL, NULL);
  fc_principal b = who(FC_ROLE_BRAND_MANAGER, NULL, "AURORA");
  fc_principal s = who(FC_ROLE_SALES, "AMSTEL", NULL);
  fc_principal broken = who(FC_ROLE_SALES, NULL, NULL); /* staff without a dealer sees nothing */
  assert_int_equal(fc_policy_scope(&a).kind, FC_SCOPE_ALL);
  assert_int_equal(fc_policy_scope(&b).kind, FC_SCOPE_BRAND);
  assert_string_equal(fc_policy_scope(&b).id, "AURORA");
  assert_int_equal(fc_policy_scope(&s).kind, FC_SCOPE_DEALER);
  assert_string_equal(fc_policy_scope(&s).id, "AMSTEL");
  assert_int_equal(fc_policy_scope(&broken).kind, FC_SCOPE_NONE);
  assert_int_equal(fc_policy_scope(NULL).kind, FC_SCOPE_NONE);
}

static void roles(void **state) {
  fc_principal da = who(FC_ROLE_DEALER_ADMIN, "AMSTEL", NULL);
  fc_principal a = who(FC_ROLE_ADMIN, NULL, NULL);
  assert_int_equal(fc_policy_may_assign(&da, FC_ROLE_SALES), FC_OK);
  assert_int_equal(fc_policy_may_assign(&da, FC_ROLE_ADMIN), FC_EFORBIDDEN);
  assert_int_equal(fc_policy_may_assign(&da, FC_ROLE_BRAND_MANAGER), FC_EFORBIDDEN);
  assert_int_equal(fc_policy_may_assign(&a, FC_ROLE_ADMIN), FC_OK);
  assert_int_equal(fc_role_parse("service_advisor"), FC_ROLE_SERVICE_ADVISOR);
  assert_int_equal(fc_role_parse("api_key"), FC_ROLE_NONE); /* not assignable */
  assert_int_equal(fc_role_parse("Admin"), FC_ROLE_NONE);
  assert_string_equal(fc_role_name(FC_ROLE_TECHNICIAN), "technician");
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(table), cmocka_unit_test(scopes), cmocka_unit_test(roles)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
