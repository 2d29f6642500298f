#include <stdio.h>
#include <string.h>
#include "auth/auth.h"
#include "booking/workshop.h"
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

static const char demo_workshop[] =
    "{\"opening_hours\": {\"mon\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], "
    "\"tue\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], \"wed\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], "
    "\"thu\": [[\"08:00\",\"12:00\"],[\"13:00\",\"17:30\"]], \"fri\": [[\"08:00\",\"12:00\"],[\"13:00\",\"16:00\"]], "
    "\"sat\": [[\"09:00\",\"12:00\"]], \"sun\": []},"
    " \"closures\": [\"2026-12-25\", \"2026-12-26\", \"2027-01-01\", \"2027-03-29\", \"2027-04-05\"],"
    " \"resources\": [{\"id\": \"bay-1\", \"name\": \"Bay 1\", \"skills\": [\"maintenance\", \"tires\", \"diagnosis\"]},"
    "  {\"id\": \"bay-2\", \"name\": \"Bay 2\", \"skills\": [\"maintenance\", \"tires\"]},"
    "  {\"id\": \"lane\", \"name\": \"Inspection lane\", \"skills\": [\"inspection\"]}],"
    " \"services\": ["
    "  {\"code\": \"oil\", \"name\": {\"en\": \"Oil service\", \"fr\": \"Vidange\", \"nl\": \"Olie verversen\"}, \"duration_min\": 60, \"skill\": \"maintenance\", \"price\": 149.0},"
    "  {\"code\": \"service\", \"name\": {\"en\": \"Annual service\", \"fr\": \"Entretien annuel\", \"nl\": \"Jaarlijkse beurt\"}, \"duration_min\": 120, \"skill\": \"maintenance\", \"price\": 289.0},"
    "  {\"code\": \"tires\", \"name\": {\"en\": \"Tire change\", \"fr\": \"Changement de pneus\", \"nl\": \"Banden wisselen\"}, \"duration_min\": 30, \"skill\": \"tires\", \"price\": 45.0},"
    "  {\"code\": \"diagnosis\", \"name\": {\"en\": \"Diagnosis\", \"fr\": \"Diagnostic\", \"nl\": \"Diagnose\"}, \"duration_min\": 60, \"skill\": \"diagnosis\", \"price\": 95.0},"
    "  {\"code\": \"inspection\", \"name\": {\"en\": \"Inspection\", \"fr\": \"Contrôle technique\", \"nl\": \"APK-keuring\"}, \"duration_min\": 45, \"skill\": \"inspection\", \"price\": 65.0}],"
    " \"slot_step_min\": 30, \"lead_time_hours\": 2, \"horizon_days\": 60, \"reserved_share\": 0.2,"
    " \"address\": \"Demo street 1\", \"phone\": \"+31 20 555 0100\", \"email\": \"workshop@example.com\"}";

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
  /* Every demo dealer takes bookings: two bays and an inspection lane. */
  for (size_t i = 0; i < N(dealers) && !err; i++) {
    json_t *doc = json_loads(demo_workshop, 0, NULL), *ws = NULL;
    long long version = 0;
    err = doc ? fc_workshop_put(&c, dealer_ids[i], NULL, doc, &ws, &version) : FC_ENOMEM;
    json_decref(doc);
    json_decref(ws);
  }
  if (!err) *loaded = 1;
done:
  if (err && c.err.message[0]) fprintf(stderr, "demo: %s\n", c.err.message);
  fc_error_clear(&c.err);
  json_decref(page);
  fc_arena_free(c.arena);
  return err;
}
