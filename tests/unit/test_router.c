/* Router matching: literals, parameters, 404 vs 405, limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include "http/router.h"

static void h(fc_req *r) { (void)r; }

static const fc_route table[] = {
    {"GET", "/api/v1/dealers", h, 0, "list"},
    {"POST", "/api/v1/dealers", h, 0, "create"},
    {"GET", "/api/v1/dealers/{id}", h, 0, "get"},
    {"PATCH", "/api/v1/dealers/{id}", h, 0, "patch"},
    {"GET", "/api/v1/dealers/{id}/workshop", h, 0, "workshop"},
    {"GET", "/api/v1/customers/{id}/vehicles/{vid}", h, 0, "two params"},
    {0},
};

static fc_router *make(void) {
  fc_router *rt = fc_router_new();
  assert_non_null(rt);
  assert_int_equal(fc_router_add_table(rt, table), 0);
  return rt;
}

static void literal_and_method(void **state) {
  fc_router *rt = make();
  fc_match m;
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealers", &m), FC_MATCH_FOUND);
  assert_string_equal(m.route->summary, "list");
  assert_int_equal(m.index, 0);
  assert_int_equal(fc_router_match(rt, "POST", "/api/v1/dealers", &m), FC_MATCH_FOUND);
  assert_string_equal(m.route->summary, "create");
  assert_int_equal(fc_router_match(rt, "DELETE", "/api/v1/dealers", &m), FC_MATCH_METHOD);
  assert_string_equal(m.allow, "GET, POST");
  fc_router_free(rt);
}

static void parameters(void **state) {
  fc_router *rt = make();
  fc_match m;
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealers/01ABC", &m), FC_MATCH_FOUND);
  assert_string_equal(m.route->summary, "get");
  assert_int_equal(m.nparams, 1);
  assert_string_equal(m.names[0], "id");
  assert_string_equal(m.values[0], "01ABC");
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/customers/c1/vehicles/v2", &m), FC_MATCH_FOUND);
  assert_int_equal(m.nparams, 2);
  assert_string_equal(m.names[1], "vid");
  assert_string_equal(m.values[0], "c1");
  assert_string_equal(m.values[1], "v2");
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealers/x/workshop", &m), FC_MATCH_FOUND);
  assert_string_equal(m.route->summary, "workshop");
  fc_router_free(rt);
}

static void no_match(void **state) {
  fc_router *rt = make();
  fc_match m;
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealers/", &m), FC_MATCH_NONE);  /* empty param */
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealer", &m), FC_MATCH_NONE);
  assert_int_equal(fc_router_match(rt, "GET", "/api/v1/dealers/a/b", &m), FC_MATCH_NONE);
  assert_int_equal(fc_router_match(rt, "GET", "", &m), FC_MATCH_NONE);
  assert_int_equal(fc_router_match(rt, "GET", "api/v1/dealers", &m), FC_MATCH_NONE);
  assert_int_equal(fc_router_match(rt, "GET", NULL, &m), FC_MATCH_NONE);
  assert_int_equal(m.index, -1);
  fc_router_free(rt);
}

static void head_is_get(void **state) {
  fc_router *rt = make();
  fc_match m;
  assert_int_equal(fc_router_match(rt, "HEAD", "/api/v1/dealers/7", &m), FC_MATCH_FOUND);
  assert_string_equal(m.route->method, "GET");
  fc_router_free(rt);
}

static void long_paths(void **state) {
  fc_router *rt = make();
  fc_match m;
  static char path[FC_ROUTER_MAX_PATH + 100];
  memcpy(path, "/api/v1/dealers/", 16);
  memset(path + 16, 'a', sizeof path - 17);
  path[sizeof path - 1] = 0;
  assert_int_equal(fc_router_match(rt, "GET", path, &m), FC_MATCH_NONE);
  path[FC_ROUTER_MAX_PATH - 10] = 0; /* fits: the value is copied whole */
  assert_int_equal(fc_router_match(rt, "GET", path, &m), FC_MATCH_FOUND);
  assert_int_equal(strlen(m.values[0]), FC_ROUTER_MAX_PATH - 10 - 16);
  fc_router_free(rt);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(literal_and_method), cmocka_unit_test(parameters), cmocka_unit_test(no_match),
      cmocka_unit_test(head_is_get), cmocka_unit_test(long_paths),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
