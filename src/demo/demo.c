#include <stdio.h>
#include <string.h>
#include "auth/auth.h"
#include "demo/demo.h"
#include "org/org.h"

static const struct {
  const char *slug, *name;
} brands[] = {{"aurora", "Aurora"}, {"borealis", "Borealis"}, {"cirrus", "Cirrus"}};

static const struct {
  const char *slug, *name, *tz, *locale;
  int brands[3]; /* indexes into brands, -1 ends */
} dealers[] = {
    {"garage-amstel", "Garage Amstel", "Europe/Amsterdam", "nl", {0, 1, -1}},
    {"bruxelles-auto", "Bruxelles Auto", "Europe/Brussels", "fr", {0, -1, -1}},
    {"montreal-motors", "Montréal Motors", "America/Montreal", "fr-CA", {1, 2, -1}},
};

static const struct {
  const char *email, *name, *role, *locale;
  int dealer, brand; /* indexes, -1 none */
} users[] = {
    {"admin@forecourt.test", "Ada Admin", "admin", "en", -1, -1},
    {"hq@aurora.test", "Hugo Quint", "brand_manager", "en", -1, 0},
    {"admin@garage-amstel.test", "Dirk Amstel", "dealer_admin", "nl", 0, -1},
    {"sales@garage-amstel.test", "Sanne de Vries", "sales", "nl", 0, -1},
    {"service@garage-amstel.test", "Sem Bakker", "service_advisor", "nl", 0, -1},
    {"tech@garage-amstel.test", "Tom Visser", "technician", "nl", 0, -1},
    {"admin@bruxelles-auto.test", "Émilie Dubois", "dealer_admin", "fr", 1, -1},
    {"sales@montreal-motors.test", "Jürgen Müller", "sales", "fr-CA", 2, -1},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void fc_demo_print_logins(void *file) {
  FILE *f = file;
  fprintf(f, "Demo logins (password: %s):\n", FC_DEMO_PASSWORD);
  for (size_t i = 0; i < N(users); i++) fprintf(f, "  %-28s %s\n", users[i].email, users[i].role);
}

static fc_err take_id(json_t *doc, char *out) {
  const char *id = json_string_value(json_object_get(doc, "id"));
  if (!id) return FC_EINTERNAL;
  snprintf(out, FC_ID_LEN + 1, "%s", id);
  return FC_OK;
}

fc_err fc_demo_load(fc_app *app, int *loaded) {
  *loaded = 0;
  fc_ctx c = {.app = app, .who = fc_auth_system(), .request_id = "demo"};
  fc_err err = fc_store_db(app->store, &c.db);
  if (err) return err;
  c.arena = fc_arena_new();
  if (!c.arena) return FC_ENOMEM;
  json_t *page = NULL, *out = NULL;
  char brand_ids[N(brands)][FC_ID_LEN + 1], dealer_ids[N(dealers)][FC_ID_LEN + 1];
  if ((err = fc_brands_list(&c, 1, NULL, &page))) goto done;
  if (json_array_size(json_object_get(page, "items")) > 0) goto done; /* not a new database */

  for (size_t i = 0; i < N(brands) && !err; i++) {
    json_t *doc = json_pack("{ssss}", "slug", brands[i].slug, "name", brands[i].name);
    err = fc_brands_create(&c, doc, &out);
    json_decref(doc);
    if (!err) err = take_id(out, brand_ids[i]);
    json_decref(out);
    out = NULL;
  }
  for (size_t i = 0; i < N(dealers) && !err; i++) {
    json_t *ids = json_array();
    for (int k = 0; k < 3 && dealers[i].brands[k] >= 0; k++)
      json_array_append_new(ids, json_string(brand_ids[dealers[i].brands[k]]));
    json_t *doc = json_pack("{sssssssssO}", "slug", dealers[i].slug, "name", dealers[i].name, "timezone",
                            dealers[i].tz, "locale", dealers[i].locale, "brand_ids", ids);
    json_decref(ids);
    err = fc_dealers_create(&c, doc, &out);
    json_decref(doc);
    if (!err) err = take_id(out, dealer_ids[i]);
    json_decref(out);
    out = NULL;
  }
  for (size_t i = 0; i < N(users) && !err; i++) {
    json_t *doc = json_pack("{ssssssssss}", "email", users[i].email, "name", users[i].name, "password",
                            FC_DEMO_PASSWORD, "role", users[i].role, "locale", users[i].locale);
    if (users[i].dealer >= 0) json_object_set_new(doc, "dealer_id", json_string(dealer_ids[users[i].dealer]));
    if (users[i].brand >= 0) json_object_set_new(doc, "brand_id", json_string(brand_ids[users[i].brand]));
    err = fc_users_create(&c, doc, &out);
    json_decref(doc);
    json_decref(out);
    out = NULL;
  }
  if (!err) *loaded = 1;
done:
  if (err && c.err.message[0]) fprintf(stderr, "demo: %s\n", c.err.message);
  fc_error_clear(&c.err);
  json_decref(page);
  fc_arena_free(c.arena);
  return err;
}
