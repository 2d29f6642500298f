/* Vehicles: one car across the installation (its VIN is unique), known to
 * dealers through dealer_vehicles and to customers through ownership
 * periods; mileage, fault codes and software versions as readings.
 *
 * A dealer's staff see a vehicle only when their dealer knows it; readings
 * and owners are shown per dealer, so nothing of another dealer leaks. */
#ifndef FC_VEHICLES_VEHICLES_H
#define FC_VEHICLES_VEHICLES_H
#include <jansson.h>
#include "app.h"

/* {vin?, plate?, make?, model?, model_year?, customer_id?, dealer_id?, mileage_km?, warranty_end?}.
 * The same VIN is the same vehicle: *existed says so (and the answer is that vehicle). */
fc_err fc_vehicles_create(fc_ctx *c, json_t *doc, json_t **out, int *existed) FC_MUST_CHECK;
fc_err fc_vehicles_get(fc_ctx *c, const char *id, json_t **out) FC_MUST_CHECK;
fc_err fc_vehicles_search(fc_ctx *c, const char *dealer_id, const char *q, int limit, const char *cursor,
                          json_t **out) FC_MUST_CHECK;
/* {source, mileage_km?, correction?, fault_codes?, software_version?, at?} -> the vehicle. */
fc_err fc_vehicles_reading(fc_ctx *c, const char *id, json_t *doc, json_t **out) FC_MUST_CHECK;

/* For other capabilities (bookings, leads): finds the dealer's vehicle by VIN
 * or plate, or creates it, and links it to the customer. Call inside the
 * caller's transaction. Either vin or plate may be NULL, not both.
 * *vehicle_id is from the arena. */
fc_err fc_vehicles_attach(fc_ctx *c, const char *dealer_id, const char *customer_id, const char *vin,
                          const char *plate, const char **vehicle_id) FC_MUST_CHECK;

/* Inside the caller's transaction: a mileage reading taken by the dealer
 * (the same never-backwards check; reaches the owners' timelines). */
fc_err fc_vehicles_mileage(fc_ctx *c, const char *dealer_id, const char *vehicle_id, const char *source,
                           long long km) FC_MUST_CHECK;

/* GET /vin/{vin}: the decoding as a document (pure). */
json_t *fc_vin_document(const char *vin);

#endif
