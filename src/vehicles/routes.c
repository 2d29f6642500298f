/* HTTP handlers for vehicles, readings and VIN decoding. */
#include "app.h"
#include "vehicles/routes.h"
#include "vehicles/vehicles.h"

static void h_vin(fc_req *r) { fc_reply_json(r, 200, fc_vin_document(fc_req_param(r, "vin"))); }

static void h_create(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  int existed = 0;
  fc_err err = fc_vehicles_create(&c, doc, &out, &existed);
  if (err) {
    fc_ctx_reply_error(&c, r, err);
  } else {
    json_object_set_new(out, "existing", json_boolean(existed));
    fc_reply_json(r, 201, out);
  }
done:
  json_decref(doc);
}

static void h_get(fc_req *r) {
  fc_ctx c;
  json_t *out = NULL;
  if (fc_ctx_init(&c, r)) return;
  fc_err err = fc_vehicles_get(&c, fc_req_param(r, "id"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_list(fc_req *r) {
  int limit;
  const char *cursor;
  fc_ctx c;
  if (fc_req_page(r, &limit, &cursor) || fc_ctx_init(&c, r)) return;
  json_t *out = NULL;
  fc_err err = fc_vehicles_search(&c, fc_req_query(r, "dealer_id"), fc_req_query(r, "q"), limit, cursor, &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

static void h_reading(fc_req *r) {
  fc_ctx c;
  json_t *doc = NULL, *out = NULL;
  if (fc_req_json(r, &doc) || fc_ctx_init(&c, r)) goto done;
  fc_err err = fc_vehicles_reading(&c, fc_req_param(r, "id"), doc, &out);
  fc_ctx_reply(&c, r, err, out, 201);
done:
  json_decref(doc);
}

const fc_route fc_vehicles_routes[] = {
    {"GET", "/api/v1/vin/{vin}", h_vin, 0, "Decode and check a VIN"},
    {"POST", "/api/v1/vehicles", h_create, 0, "Create or link a vehicle"},
    {"GET", "/api/v1/vehicles", h_list, 0, "Search the dealer's vehicles by plate or VIN"},
    {"GET", "/api/v1/vehicles/{id}", h_get, 0, "A vehicle"},
    {"POST", "/api/v1/vehicles/{id}/readings", h_reading, 0, "Record mileage, fault codes or software version"},
    {0},
};
