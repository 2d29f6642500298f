/* Vehicles: creation from a VIN and/or a plate, dealer visibility,
 * ownership periods and readings. See vehicles.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "auth/audit.h"
#include "auth/policy.h"
#include "core/fold.h"
#include "core/id.h"
#include "core/jsonx.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "customers/customers.h"
#include "org/org.h"
#include "vehicles/vehicles.h"
#include "vehicles/vin.h"

enum { MAX_MILEAGE = 5000000, MAX_FAULT_CODES = 50, READINGS_SHOWN = 50 };

static int max_model_year(void) {
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900 + 1;
}

/* The first problem of an invalid VIN, in words. */
static const char *vin_problem(const fc_vin_info *v) {
  for (int i = 0; i < v->n_errors; i++) {
    if (!strcmp(v->errors[i], "check_digit")) return "has a check digit that does not match";
    if (!strcmp(v->errors[i], "model_year_code")) return "has no model-year code in position 10";
  }
  return "is not a valid VIN (17 letters and digits, no I, O or Q)";
}

json_t *fc_vin_document(const char *vin) {
  fc_vin_info v;
  fc_vin_decode(vin, max_model_year(), &v);
  json_t *years = json_array(), *errors = json_array();
  for (int i = 0; i < v.n_model_years; i++) json_array_append_new(years, json_integer(v.model_years[i]));
  for (int i = 0; i < v.n_errors; i++) json_array_append_new(errors, json_string(v.errors[i]));
  json_t *o = json_pack("{sssbsssssososososo}", "vin", v.vin, "valid", v.valid, "check_digit", fc_vin_check_name(v.check),
                        "wmi", v.wmi, "manufacturer", fc_json_str_or_null(v.manufacturer), "region",
                        fc_json_str_or_null(v.region), "country", fc_json_str_or_null(v.country), "model_years", years,
                        "errors", errors);
  return o;
}

/* --- access */

/* The caller may see vehicle id: its dealer knows it (administrators see
 * all; *dealer_id is then NULL, meaning every dealer). */
static fc_err vehicle_access(fc_ctx *c, const char *id, int write, const char **dealer_id) {
  *dealer_id = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT 1 FROM vehicles WHERE id = ?", "s", id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  fc_stmt_done(st);
  if (rc < 0) return FC_EDB;
  if (rc == 0) return fc_fail(&c->err, FC_ENOTFOUND, "no such vehicle");
  fc_scope s = fc_policy_scope(c->who);
  if (s.kind == FC_SCOPE_ALL) return FC_OK;
  if (s.kind == FC_SCOPE_BRAND) return fc_fail(&c->err, FC_EFORBIDDEN, "a brand sees its dealers' figures, not their vehicles");
  if (s.kind != FC_SCOPE_DEALER) return fc_fail(&c->err, FC_ENOTFOUND, "no such vehicle");
  if ((err = fc_db_query(c->db, &st, "SELECT 1 FROM dealer_vehicles WHERE dealer_id = ? AND vehicle_id = ?", "ss", s.id, id)))
    return err;
  rc = fc_stmt_step(st);
  fc_stmt_done(st);
  if (rc != 1) return fc_fail(&c->err, FC_ENOTFOUND, "no such vehicle");
  fc_tenant t = {.dealer_id = s.id};
  if ((err = fc_policy_check(c->who, write ? FC_ACT_WRITE : FC_ACT_READ, FC_RES_DEALER_DATA, &t)))
    return fc_fail(&c->err, err, "you may not change this vehicle");
  *dealer_id = s.id;
  return FC_OK;
}

/* --- documents */

static json_t *int_or_null(fc_stmt *st, int i) { return fc_col_null(st, i) ? json_null() : json_integer(fc_col_int(st, i)); }

static fc_err vehicle_load(fc_ctx *c, const char *id, const char *dealer_id, json_t **out) {
  *out = NULL;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT id, vin, plate, make, model, model_year, software_version, warranty_end, mileage_km, "
                           "mileage_at, created_at, updated_at FROM vehicles WHERE id = ?",
                           "s", id);
  if (err) return err;
  json_t *v = NULL;
  if (fc_stmt_step(st) == 1) {
    char created[40], updated[40], mat[40];
    fc_time_format(fc_col_int(st, 10), created, sizeof created);
    fc_time_format(fc_col_int(st, 11), updated, sizeof updated);
    v = json_pack("{ss}", "id", fc_col_text(st, 0));
    json_object_set_new(v, "vin", fc_json_str_or_null(fc_col_text(st, 1)));
    json_object_set_new(v, "plate", fc_json_str_or_null(fc_col_text(st, 2)));
    json_object_set_new(v, "make", fc_json_str_or_null(fc_col_text(st, 3)));
    json_object_set_new(v, "model", fc_json_str_or_null(fc_col_text(st, 4)));
    json_object_set_new(v, "model_year", int_or_null(st, 5));
    json_object_set_new(v, "software_version", fc_json_str_or_null(fc_col_text(st, 6)));
    json_object_set_new(v, "warranty_end", fc_json_str_or_null(fc_col_text(st, 7)));
    json_object_set_new(v, "mileage_km", int_or_null(st, 8));
    if (!fc_col_null(st, 9)) fc_time_format(fc_col_int(st, 9), mat, sizeof mat);
    json_object_set_new(v, "mileage_at", fc_col_null(st, 9) ? json_null() : json_string(mat));
    json_object_set_new(v, "created_at", json_string(created));
    json_object_set_new(v, "updated_at", json_string(updated));
  }
  fc_stmt_done(st);
  if (!v) return fc_fail(&c->err, FC_ENOTFOUND, "no such vehicle");
  const char *vin = json_string_value(json_object_get(v, "vin"));
  if (vin) json_object_set_new(v, "decoded", fc_vin_document(vin));
  if (dealer_id) { /* the mileage and software this dealer has seen, not another dealer's */
    json_object_set_new(v, "mileage_km", json_null());
    json_object_set_new(v, "mileage_at", json_null());
    json_object_set_new(v, "software_version", json_null());
    if (!fc_db_query(c->db, &st,
                     "SELECT mileage_km, at FROM vehicle_readings WHERE dealer_id = ? AND vehicle_id = ? "
                     "AND mileage_km IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1",
                     "ss", dealer_id, id)) {
      if (fc_stmt_step(st) == 1) {
        char mat[40];
        fc_time_format(fc_col_int(st, 1), mat, sizeof mat);
        json_object_set_new(v, "mileage_km", json_integer(fc_col_int(st, 0)));
        json_object_set_new(v, "mileage_at", json_string(mat));
      }
      fc_stmt_done(st);
    }
    if (!fc_db_query(c->db, &st,
                     "SELECT software_version FROM vehicle_readings WHERE dealer_id = ? AND vehicle_id = ? "
                     "AND software_version IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1",
                     "ss", dealer_id, id)) {
      if (fc_stmt_step(st) == 1) json_object_set_new(v, "software_version", json_string(fc_col_text(st, 0)));
      fc_stmt_done(st);
    }
  }

  /* Owners and readings of the caller's dealer only (all dealers for an administrator). */
  json_t *owners = json_array(), *readings = json_array();
  if (!fc_db_query(c->db, &st,
                   "SELECT o.customer_id, c.name, o.since, o.until, o.dealer_id FROM ownerships o "
                   "JOIN customers c ON c.dealer_id = o.dealer_id AND c.id = o.customer_id "
                   "WHERE o.vehicle_id = ? AND (? IS NULL OR o.dealer_id = ?) "
                   "ORDER BY o.since",
                   "sss", id, dealer_id, dealer_id)) {
    while (fc_stmt_step(st) == 1) {
      char since[40], until[40];
      fc_time_format(fc_col_int(st, 2), since, sizeof since);
      if (!fc_col_null(st, 3)) fc_time_format(fc_col_int(st, 3), until, sizeof until);
      json_array_append_new(owners, json_pack("{sssssssoss}", "customer_id", fc_col_text(st, 0), "name",
                                              fc_col_text(st, 1), "since", since, "until",
                                              fc_col_null(st, 3) ? json_null() : json_string(until), "dealer_id",
                                              fc_col_text(st, 4)));
    }
    fc_stmt_done(st);
  }
  if (!fc_db_query(c->db, &st,
                   "SELECT id, at, source, mileage_km, correction, fault_codes_json, software_version, dealer_id "
                   "FROM vehicle_readings WHERE vehicle_id = ? AND (? IS NULL OR dealer_id = ?) "
                   "ORDER BY at DESC, id DESC LIMIT ?",
                   "sssi", id, dealer_id, dealer_id, (int64_t)READINGS_SHOWN)) {
    while (fc_stmt_step(st) == 1) {
      char at[40];
      fc_time_format(fc_col_int(st, 1), at, sizeof at);
      json_t *fc = fc_col_text(st, 5) ? json_loads(fc_col_text(st, 5), 0, NULL) : NULL;
      json_t *r = json_pack("{ssssss}", "id", fc_col_text(st, 0), "at", at, "source", fc_col_text(st, 2));
      json_object_set_new(r, "mileage_km", int_or_null(st, 3));
      json_object_set_new(r, "correction", json_boolean(fc_col_int(st, 4)));
      json_object_set_new(r, "fault_codes", fc ? fc : json_array());
      json_object_set_new(r, "software_version", fc_json_str_or_null(fc_col_text(st, 6)));
      json_object_set_new(r, "dealer_id", json_string(fc_col_text(st, 7)));
      json_array_append_new(readings, r);
    }
    fc_stmt_done(st);
  }
  json_object_set_new(v, "owners", owners);
  json_object_set_new(v, "readings", readings);
  *out = v;
  return FC_OK;
}

/* --- create and attach */

static char *compact_plate(fc_ctx *c, const char *plate) {
  char *heap = plate ? fc_fold_compact(plate) : NULL;
  char *a = heap && *heap ? fc_arena_strdup(c->arena, heap) : NULL;
  free(heap);
  return a;
}

/* Finds by VIN (installation-wide) or, without one, by plate among the
 * dealer's vehicles; creates otherwise. Links the vehicle to the dealer. */
static fc_err find_or_create(fc_ctx *c, const char *dealer_id, const char *vin, const char *plate, const char *make,
                             const char *model, long long year, const char **id_out, int *existed) {
  *id_out = NULL;
  *existed = 0;
  const char *pc = compact_plate(c, plate);
  fc_stmt *st = NULL;
  fc_err err = vin ? fc_db_query(c->db, &st, "SELECT id FROM vehicles WHERE vin = ?", "s", vin)
                   : fc_db_query(c->db, &st,
                                 "SELECT v.id FROM vehicles v WHERE v.plate_compact = ? AND EXISTS "
                                 "(SELECT 1 FROM dealer_vehicles d WHERE d.dealer_id = ? AND d.vehicle_id = v.id) "
                                 "ORDER BY v.id LIMIT 1",
                                 "ss", pc ? pc : "", dealer_id);
  if (err) return err;
  char *id = fc_stmt_step(st) == 1 ? fc_arena_strdup(c->arena, fc_col_text(st, 0)) : NULL;
  fc_stmt_done(st);
  int64_t now = fc_time_now_ms(), y64 = year;
  if (id) {
    *existed = 1;
    /* What is known already stays; a new plate (re-registration) replaces the old one. */
    err = fc_db_exec(c->db,
                     "UPDATE vehicles SET plate = COALESCE(?, plate), plate_compact = COALESCE(?, plate_compact), "
                     "make = COALESCE(make, ?), model = COALESCE(model, ?), model_year = COALESCE(model_year, ?), "
                     "updated_at = ? WHERE id = ?",
                     "ssssIis", plate, pc, make, model, year ? &y64 : NULL, now, id);
  } else {
    char nid[FC_ID_LEN + 1];
    fc_id_new(nid);
    id = fc_arena_strdup(c->arena, nid);
    err = fc_db_exec(c->db,
                     "INSERT INTO vehicles (id, vin, plate, plate_compact, make, model, model_year, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "ssssssIii", id, vin, plate, pc, make, model, year ? &y64 : NULL, now, now);
  }
  if (!err)
    err = fc_db_exec(c->db,
                     "INSERT INTO dealer_vehicles (dealer_id, vehicle_id, created_at) VALUES (?, ?, ?) "
                     "ON CONFLICT (dealer_id, vehicle_id) DO NOTHING",
                     "ssi", dealer_id, id, now);
  if (!err) *id_out = id;
  return err;
}

/* Makes customer_id the vehicle's current owner at the dealer, closing the
 * previous owner's period there. */
static fc_err own(fc_ctx *c, const char *dealer_id, const char *vehicle_id, const char *customer_id, int *changed) {
  *changed = 0;
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st,
                           "SELECT 1 FROM ownerships WHERE dealer_id = ? AND vehicle_id = ? AND customer_id = ? AND until IS NULL",
                           "sss", dealer_id, vehicle_id, customer_id);
  if (err) return err;
  int rc = fc_stmt_step(st);
  fc_stmt_done(st);
  if (rc != 0) return rc < 0 ? FC_EDB : FC_OK;
  int64_t now = fc_time_now_ms();
  char id[FC_ID_LEN + 1];
  fc_id_new(id);
  err = fc_db_exec(c->db, "UPDATE ownerships SET until = ? WHERE dealer_id = ? AND vehicle_id = ? AND until IS NULL",
                   "iss", now, dealer_id, vehicle_id);
  if (!err)
    err = fc_db_exec(c->db,
                     "INSERT INTO ownerships (dealer_id, id, vehicle_id, customer_id, since) VALUES (?, ?, ?, ?, ?)",
                     "ssssi", dealer_id, id, vehicle_id, customer_id, now);
  *changed = !err;
  return err;
}

/* 1 when someone other than customer_id owns the vehicle at the dealer now. */
static int has_other_owner(fc_ctx *c, const char *dealer_id, const char *vehicle_id, const char *customer_id) {
  fc_stmt *st = NULL;
  if (fc_db_query(c->db, &st,
                  "SELECT 1 FROM ownerships WHERE dealer_id = ? AND vehicle_id = ? AND until IS NULL AND customer_id <> ?",
                  "sss", dealer_id, vehicle_id, customer_id))
    return 1; /* when in doubt, change nothing */
  int other = fc_stmt_step(st) == 1;
  fc_stmt_done(st);
  return other;
}

/* The customer's timeline and search learn of a vehicle now theirs. */
static fc_err linked(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *vehicle_id, const char *vin,
                     const char *plate) {
  fc_err err = fc_customers_reindex(c, customer_id);
  json_t *p = json_pack("{ssss?ss?}", "vehicle_id", vehicle_id, "vin", vin, "plate", plate);
  if (!p) return FC_ENOMEM;
  if (!err) err = fc_timeline_add(c, dealer_id, customer_id, "vehicle.linked", "network", 0, p, NULL);
  json_decref(p);
  return err;
}

/* A new plate is the car's, at every dealer: their owners' search follows. */
static fc_err reindex_owners(fc_ctx *c, const char *vehicle_id) {
  fc_stmt *st = NULL;
  fc_err err = fc_db_query(c->db, &st, "SELECT DISTINCT customer_id FROM ownerships WHERE vehicle_id = ? AND until IS NULL",
                           "s", vehicle_id);
  if (err) return err;
  const char *ids[32];
  int n = 0;
  while (n < 32 && fc_stmt_step(st) == 1) ids[n++] = fc_arena_strdup(c->arena, fc_col_text(st, 0));
  fc_stmt_done(st);
  for (int i = 0; !err && i < n; i++) err = fc_customers_reindex(c, ids[i]);
  return err;
}

fc_err fc_vehicles_attach(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *vin,
                          const char *plate, const char **vehicle_id) {
  *vehicle_id = NULL;
  char norm[18] = "";
  if (vin && *vin) {
    fc_vin_info v;
    fc_vin_decode(vin, max_model_year(), &v);
    if (!v.valid) return fc_fail_field(&c->err, "vin", "is not a valid VIN");
    memcpy(norm, v.vin, sizeof norm);
  }
  if (!norm[0] && !(plate && *plate)) return fc_fail_field(&c->err, "plate", "give a plate or a VIN");
  int existed = 0, changed = 0;
  fc_err err = find_or_create(c, dealer_id, norm[0] ? norm : NULL, plate && *plate ? plate : NULL, NULL, NULL, 0,
                              vehicle_id, &existed);
  /* Attaching never takes a car from its current owner at the dealer: a
   * booking or a lead that names someone else's plate changes no ownership
   * (staff do that on purpose with POST /vehicles). */
  if (!err && customer_id && !(existed && has_other_owner(c, dealer_id, *vehicle_id, customer_id)))
    err = own(c, dealer_id, *vehicle_id, customer_id, &changed);
  if (!err && changed) err = linked(c, dealer_id, customer_id, *vehicle_id, norm[0] ? norm : NULL, plate);
  if (!err && existed && plate && *plate) err = reindex_owners(c, *vehicle_id);
  if (!err) {
    json_t *after = json_pack("{ssss?ss?ss?}", "id", *vehicle_id, "vin", norm[0] ? norm : NULL, "plate", plate,
                              "customer_id", customer_id);
    err = fc_audit_record(c, dealer_id, existed ? "vehicle.link" : "vehicle.create", "vehicle", *vehicle_id, NULL, after);
    json_decref(after);
  }
  return err;
}

static fc_err record_reading(fc_ctx *c, const char *dealer_id, const char *vehicle_id, int64_t at, const char *source,
                             int has_mileage, long long mileage, int correction, const char *faults,
                             const char *software);

typedef struct create_job {
  fc_ctx *c;
  const char *dealer_id, *customer_id, *vin, *plate, *make, *model, *warranty_end;
  long long year, mileage;
  int has_mileage;
  const char *id;
  int existed;
} create_job;

static fc_err add_reading(fc_ctx *c, const char *dealer_id, const char *vehicle_id, int64_t at, const char *source,
                          int has_mileage, long long mileage, int correction, const char *faults, const char *software) {
  char id[FC_ID_LEN + 1];
  int64_t m64 = mileage;
  fc_id_new(id);
  fc_err err = fc_db_exec(c->db,
                          "INSERT INTO vehicle_readings (dealer_id, id, vehicle_id, at, source, mileage_km, correction, "
                          "fault_codes_json, software_version, actor_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "sssisIisss", dealer_id, id, vehicle_id, at, source, has_mileage ? &m64 : NULL,
                          (int64_t)correction, faults, software, c->who ? c->who->id : NULL);
  if (err) return err;
  /* The vehicle shows the newest reading (or a correction, whatever its age). */
  if (has_mileage)
    err = fc_db_exec(c->db,
                     "UPDATE vehicles SET mileage_km = ?, mileage_at = ?, updated_at = ? "
                     "WHERE id = ? AND (mileage_at IS NULL OR mileage_at <= ? OR ? = 1)",
                     "iiisii", (int64_t)mileage, at, fc_time_now_ms(), vehicle_id, at, (int64_t)correction);
  if (!err && software)
    err = fc_db_exec(c->db, "UPDATE vehicles SET software_version = ?, updated_at = ? WHERE id = ?", "sis", software,
                     fc_time_now_ms(), vehicle_id);
  return err;
}

static fc_err create_tx(fc_db *db, void *arg) {
  create_job *j = arg;
  fc_ctx *c = j->c;
  int changed = 0;
  fc_err err = find_or_create(c, j->dealer_id, j->vin, j->plate, j->make, j->model, j->year, &j->id, &j->existed);
  if (!err && j->warranty_end)
    err = fc_db_exec(db, "UPDATE vehicles SET warranty_end = ? WHERE id = ?", "ss", j->warranty_end, j->id);
  if (!err && j->customer_id) err = own(c, j->dealer_id, j->id, j->customer_id, &changed);
  if (!err && changed) err = linked(c, j->dealer_id, j->customer_id, j->id, j->vin, j->plate);
  if (!err && j->existed && j->plate) err = reindex_owners(c, j->id);
  if (!err && j->has_mileage)
    err = record_reading(c, j->dealer_id, j->id, fc_time_now_ms(), "customer", 1, j->mileage, 0, NULL, NULL);
  if (!err) {
    json_t *after = json_pack("{ssss?ss?ss?ss?ss?}", "id", j->id, "vin", j->vin, "plate", j->plate, "make", j->make, "model",
                              j->model, "customer_id", j->customer_id);
    err = fc_audit_record(c, j->dealer_id, j->existed ? "vehicle.link" : "vehicle.create", "vehicle", j->id, NULL, after);
    json_decref(after);
  }
  return err;
}

fc_err fc_vehicles_create(fc_ctx *c, json_t *doc, json_t **out, int *existed) {
  *out = NULL;
  *existed = 0;
  static const char *const keys[] = {"vin", "plate", "make", "model", "model_year", "customer_id", "dealer_id",
                                     "mileage_km", "warranty_end", NULL};
  create_job j = {.c = c};
  const char *vin = NULL, *dealer = NULL;
  int has_year = 0;
  fc_err err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str(doc, "vin", 40, &vin, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "plate", 20, &j.plate, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "make", 60, &j.make, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "model", 60, &j.model, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "customer_id", 64, &j.customer_id, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "dealer_id", 64, &dealer, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "warranty_end", 10, &j.warranty_end, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_int(doc, "model_year", &j.year, &has_year, &c->err))) return err;
  if ((err = fc_json_int(doc, "mileage_km", &j.mileage, &j.has_mileage, &c->err))) return err;
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  if ((err = fc_customers_dealer(c, dealer, &j.dealer_id))) return err;

  char norm[18] = "";
  if (vin && *vin) {
    fc_vin_info v;
    fc_vin_decode(vin, max_model_year(), &v);
    if (!v.valid) {
      fc_fail_field(&c->err, "vin", vin_problem(&v));
    } else {
      memcpy(norm, v.vin, sizeof norm);
      j.vin = norm;
      /* What the VIN says fills what the user did not type. */
      if (!j.make && v.manufacturer) j.make = v.manufacturer;
      if (!has_year && v.model_year) j.year = v.model_year;
    }
  }
  if (!j.vin && !(j.plate && *j.plate) && !c->err.code) fc_fail_field(&c->err, "vin", "give a VIN or a plate");
  if (j.plate && !*j.plate) j.plate = NULL;
  if (has_year && (j.year < 1886 || j.year > max_model_year())) fc_fail_field(&c->err, "model_year", "is not a plausible year");
  if (j.has_mileage && (j.mileage < 0 || j.mileage > MAX_MILEAGE)) fc_fail_field(&c->err, "mileage_km", "must be 0 to 5,000,000");
  int y, m, d, n = 0;
  if (j.warranty_end && (sscanf(j.warranty_end, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || j.warranty_end[10] ||
                         !fc_tz_date_valid(y, m, d)))
    fc_fail_field(&c->err, "warranty_end", "must be a date like 2028-06-30");
  if (j.customer_id && !c->err.code) {
    const char *cd = NULL;
    err = fc_customer_access(c, j.customer_id, 1, &cd);
    if (err || strcmp(cd, j.dealer_id) != 0) {
      fc_error_clear(&c->err);
      if (err && err != FC_ENOTFOUND && err != FC_EFORBIDDEN) return err;
      fc_fail_field(&c->err, "customer_id", "names no customer of this dealer");
    }
  }
  if (c->err.code) return c->err.code;
  if ((err = fc_db_tx(c->db, create_tx, &j))) return err;
  *existed = j.existed;
  return vehicle_load(c, j.id, j.dealer_id, out);
}

fc_err fc_vehicles_get(fc_ctx *c, const char *id, json_t **out) {
  *out = NULL;
  const char *dealer_id;
  fc_err err = vehicle_access(c, id, 0, &dealer_id);
  if (err) return err;
  return vehicle_load(c, id, dealer_id, out);
}

static json_t *vehicle_row(fc_ctx *c, fc_stmt *st) {
  json_t *v = json_pack("{ss}", "id", fc_col_text(st, 0));
  if (!v) return NULL;
  json_object_set_new(v, "vin", fc_json_str_or_null(fc_col_text(st, 1)));
  json_object_set_new(v, "plate", fc_json_str_or_null(fc_col_text(st, 2)));
  json_object_set_new(v, "make", fc_json_str_or_null(fc_col_text(st, 3)));
  json_object_set_new(v, "model", fc_json_str_or_null(fc_col_text(st, 4)));
  json_object_set_new(v, "model_year", int_or_null(st, 5));
  json_object_set_new(v, "mileage_km", int_or_null(st, 6));
  return v;
}

fc_err fc_vehicles_search(fc_ctx *c, const char *dealer_id, const char *q, int limit, const char *cursor, json_t **out) {
  *out = NULL;
  const char *dealer;
  fc_err err = fc_customers_dealer(c, dealer_id, &dealer);
  if (err) return err;
  if (cursor && !fc_id_valid(cursor)) return fc_fail(&c->err, FC_EBADREQ, "cursor is not one this server gave");
  if (q && strlen(q) > 40) return fc_fail(&c->err, FC_EBADREQ, "q is longer than 40 characters");
  char *heap = q ? fc_fold_compact(q) : NULL;
  if (q && !heap) return fc_fail(&c->err, FC_EBADREQ, "q is not valid text");
  /* Plates and VINs match without spaces, dashes and case: "gh123" finds "GH-123-X". */
  char like[100] = "%";
  if (heap) {
    size_t o = 1;
    for (const char *p = heap; *p && o + 3 < sizeof like; p++) {
      if (*p == '%' || *p == '_' || *p == '\\') like[o++] = '\\';
      like[o++] = *p;
    }
    like[o++] = '%';
    like[o] = 0;
  }
  free(heap);
  fc_stmt *st = NULL;
  err = fc_db_query(c->db, &st,
                    "SELECT v.id, v.vin, v.plate, v.make, v.model, v.model_year, v.mileage_km FROM vehicles v "
                    "JOIN dealer_vehicles d ON d.vehicle_id = v.id WHERE d.dealer_id = ? AND v.id > ? "
                    "AND (v.plate_compact LIKE ? ESCAPE '\\' OR LOWER(v.vin) LIKE ? ESCAPE '\\') ORDER BY v.id LIMIT ?",
                    "ssssi", dealer, cursor ? cursor : "", like, like, (int64_t)limit + 1);
  if (err) return err;
  return fc_list_page(c, st, limit, vehicle_row, out);
}

/* --- readings */

typedef struct reading_job {
  fc_ctx *c;
  const char *id, *dealer_id, *source, *software;
  char *faults;
  long long mileage;
  int has_mileage, correction;
  int64_t at;
} reading_job;

static const char *event_channel_of(const char *source) {
  if (strcmp(source, "workshop") == 0) return "workshop";
  if (strcmp(source, "telematics") == 0) return "telematics";
  return "web";
}

/* Checks and stores one reading, and tells the owners' timelines and the
 * audit. Mileage never goes backwards unless someone says it is a
 * correction; the comparison is with this dealer's latest reading before
 * it (a corrected value counts from then on), so no other dealer's figures
 * show through. */
static fc_err record_reading(fc_ctx *c, const char *dealer_id, const char *vehicle_id, int64_t at, const char *source,
                             int has_mileage, long long mileage, int correction, const char *faults,
                             const char *software) {
  fc_err err;
  if (has_mileage && !correction) {
    fc_stmt *st = NULL;
    if ((err = fc_db_query(c->db, &st,
                           "SELECT mileage_km FROM vehicle_readings WHERE dealer_id = ? AND vehicle_id = ? AND at <= ? "
                           "AND mileage_km IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1",
                           "ssi", dealer_id, vehicle_id, at)))
      return err;
    long long last = fc_stmt_step(st) == 1 ? fc_col_int(st, 0) : -1;
    fc_stmt_done(st);
    if (last > mileage) {
      fc_fail_field(&c->err, "mileage_km", "is lower than an earlier reading; send correction: true to fix a wrong one");
      snprintf(c->err.message, sizeof c->err.message, "the mileage is lower than the last reading (%lld km)", last);
      return FC_EINVAL;
    }
    /* A reading dated in the past may not exceed a later one either. */
    if ((err = fc_db_query(c->db, &st,
                           "SELECT mileage_km FROM vehicle_readings WHERE dealer_id = ? AND vehicle_id = ? AND at > ? "
                           "AND mileage_km IS NOT NULL ORDER BY at, id LIMIT 1",
                           "ssi", dealer_id, vehicle_id, at)))
      return err;
    long long next = fc_stmt_step(st) == 1 ? fc_col_int(st, 0) : -1;
    fc_stmt_done(st);
    if (next >= 0 && next < mileage) {
      fc_fail_field(&c->err, "mileage_km", "is higher than a later reading; send correction: true to fix a wrong one");
      snprintf(c->err.message, sizeof c->err.message, "the mileage is higher than a later reading (%lld km)", next);
      return FC_EINVAL;
    }
  }
  if ((err = add_reading(c, dealer_id, vehicle_id, at, source, has_mileage, mileage, correction, faults, software)))
    return err;
  json_t *p = json_pack("{ssssss?}", "vehicle_id", vehicle_id, "source", source, "software_version", software);
  if (!p) return FC_ENOMEM;
  if (has_mileage) json_object_set_new(p, "mileage_km", json_integer(mileage));
  if (correction) json_object_set_new(p, "correction", json_true());
  json_t *fj = faults ? json_loads(faults, 0, NULL) : NULL;
  if (fj) json_object_set_new(p, "fault_codes", fj);
  /* The owners at this dealer see it on their timeline. */
  fc_stmt *st = NULL;
  if (!(err = fc_db_query(c->db, &st,
                          "SELECT customer_id FROM ownerships WHERE dealer_id = ? AND vehicle_id = ? AND until IS NULL",
                          "ss", dealer_id, vehicle_id))) {
    const char *owners[8];
    int n = 0;
    while (n < 8 && fc_stmt_step(st) == 1) owners[n++] = fc_arena_strdup(c->arena, fc_col_text(st, 0));
    fc_stmt_done(st);
    for (int i = 0; !err && i < n; i++)
      err = fc_timeline_add(c, dealer_id, owners[i], "vehicle.reading", event_channel_of(source), at, p, NULL);
  }
  if (!err) err = fc_audit_record(c, dealer_id, "vehicle.reading", "vehicle", vehicle_id, NULL, p);
  json_decref(p);
  return err;
}

fc_err fc_vehicles_mileage(fc_ctx *c, const char *dealer_id, const char *vehicle_id, const char *source, long long km) {
  return record_reading(c, dealer_id, vehicle_id, fc_time_now_ms(), source, 1, km, 0, NULL, NULL);
}

static fc_err reading_tx(fc_db *db, void *arg) {
  reading_job *j = arg;
  return record_reading(j->c, j->dealer_id, j->id, j->at, j->source, j->has_mileage, j->mileage, j->correction,
                        j->faults, j->software);
}

fc_err fc_vehicles_reading(fc_ctx *c, const char *id, json_t *doc, json_t **out) {
  *out = NULL;
  static const char *const keys[] = {"source", "mileage_km", "correction", "fault_codes", "software_version", "at",
                                     "dealer_id", NULL};
  reading_job j = {.c = c, .id = id};
  const char *dealer_id, *at = NULL, *given_dealer = NULL;
  fc_err err = vehicle_access(c, id, 1, &dealer_id);
  if (err) return err;
  if ((err = fc_json_only(doc, keys, &c->err))) return err;
  if ((err = fc_json_str_req(doc, "source", 16, &j.source, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "software_version", 64, &j.software, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "at", 40, &at, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_str(doc, "dealer_id", 64, &given_dealer, &c->err)) == FC_EBADREQ) return err;
  if ((err = fc_json_int(doc, "mileage_km", &j.mileage, &j.has_mileage, &c->err))) return err;
  json_t *corr = json_object_get(doc, "correction");
  if (corr && !json_is_null(corr) && !json_is_boolean(corr)) return fc_fail(&c->err, FC_EBADREQ, "correction must be true or false");
  j.correction = json_is_true(corr);
  json_t *faults = json_object_get(doc, "fault_codes");
  if (faults && !json_is_null(faults)) {
    size_t i;
    json_t *f;
    if (!json_is_array(faults)) return fc_fail(&c->err, FC_EBADREQ, "fault_codes must be an array of strings");
    if (json_array_size(faults) > MAX_FAULT_CODES) fc_fail_field(&c->err, "fault_codes", "has more than 50 codes");
    json_array_foreach(faults, i, f) {
      if (!json_is_string(f)) return fc_fail(&c->err, FC_EBADREQ, "fault_codes must be an array of strings");
      if (json_string_length(f) < 1 || json_string_length(f) > 16) fc_fail_field(&c->err, "fault_codes", "codes have 1 to 16 characters");
    }
  }
  if (c->err.code == FC_EBADREQ) return FC_EBADREQ;
  if (!dealer_id) { /* an administrator says for which dealer */
    if (!given_dealer) return fc_fail_field(&c->err, "dealer_id", "is required");
    if ((err = fc_customers_dealer(c, given_dealer, &dealer_id))) return err;
  }
  j.dealer_id = dealer_id;
  if (j.source && strcmp(j.source, "workshop") && strcmp(j.source, "customer") && strcmp(j.source, "telematics"))
    fc_fail_field(&c->err, "source", "must be workshop, customer or telematics");
  if (j.has_mileage && (j.mileage < 0 || j.mileage > MAX_MILEAGE)) fc_fail_field(&c->err, "mileage_km", "must be 0 to 5,000,000");
  if (!j.has_mileage && !j.software && !(faults && json_array_size(faults)))
    fc_fail_field(&c->err, "mileage_km", "give a mileage, fault codes or a software version");
  j.at = fc_time_now_ms();
  if (at && fc_time_parse(at, &j.at) != 0) fc_fail_field(&c->err, "at", "must be an RFC 3339 time with offset");
  if (at && j.at > fc_time_now_ms() + 300000) fc_fail_field(&c->err, "at", "is in the future");
  if (c->err.code) return c->err.code;
  j.faults = faults && json_array_size(faults) ? json_dumps(faults, JSON_COMPACT) : NULL;
  err = fc_db_tx(c->db, reading_tx, &j);
  free(j.faults);
  if (err) return err;
  return vehicle_load(c, id, dealer_id, out);
}
