/* The OpenAPI document served at /api/v1/openapi.json describes exactly the
 * routes the router has: every route is documented, and nothing documented
 * is missing from the router. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <cmocka.h>
#include <jansson.h>
#include "core/embedded.h"
#include "routes.h"

static json_t *load(void) {
  const fc_embedded_file *f = fc_embedded_find("openapi.json");
  assert_non_null(f);
  json_error_t je;
  json_t *doc = json_loadb(f->data, f->size, 0, &je);
  if (!doc) fail_msg("openapi.json: %s at line %d", je.text, je.line);
  return doc;
}

static void lower(const char *in, char *out, size_t cap) {
  size_t i = 0;
  for (; in[i] && i + 1 < cap; i++) out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 : in[i]);
  out[i] = 0;
}

static void every_route_documented(void **state) {
  json_t *doc = load();
  json_t *paths = json_object_get(doc, "paths");
  assert_non_null(paths);
  int n = 0;
  for (int t = 0; fc_all_routes[t]; t++)
    for (const fc_route *r = fc_all_routes[t]; r->method; r++, n++) {
      char m[16];
      lower(r->method, m, sizeof m);
      json_t *op = json_object_get(json_object_get(paths, r->pattern), m);
      if (!op) fail_msg("route %s %s is not in docs/openapi.json", r->method, r->pattern);
      if (!json_object_get(op, "responses")) fail_msg("%s %s has no responses", r->method, r->pattern);
    }
  assert_true(n > 10);
  json_decref(doc);
}

static void nothing_documented_that_does_not_exist(void **state) {
  json_t *doc = load();
  const char *path, *method;
  json_t *item, *op;
  json_object_foreach(json_object_get(doc, "paths"), path, item) {
    json_object_foreach(item, method, op) {
      if (!strcmp(method, "parameters") || !strcmp(method, "summary") || !strcmp(method, "description")) continue;
      int found = 0;
      for (int t = 0; fc_all_routes[t] && !found; t++)
        for (const fc_route *r = fc_all_routes[t]; r->method; r++)
          if (!strcmp(r->pattern, path) && !strcasecmp(r->method, method)) found = 1;
      if (!found) fail_msg("docs/openapi.json documents %s %s, which the router does not have", method, path);
    }
  }
  assert_string_equal(json_string_value(json_object_get(doc, "openapi")), "3.0.3");
  json_decref(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(every_route_documented),
                                     cmocka_unit_test(nothing_documented_that_does_not_exist)};
  return cmocka_run_group_tests(tests, NULL, NULL);
}
