/* HTTP handler for the KPIs: the query string in, the numbers out. */
#include "kpi/routes.h"
#include "kpi/kpi.h"

static void h_kpis(fc_req *r) {
  fc_ctx c;
  if (fc_ctx_init(&c, r)) return;
  fc_ctx_use_replica(&c); /* reports may read a replica; the primary when there is none */
  json_t *out = NULL;
  fc_err err = fc_kpis_get(&c, fc_req_query(r, "dealer_id"), fc_req_query(r, "brand_id"),
                           fc_req_query(r, "from"), fc_req_query(r, "to"), &out);
  fc_ctx_reply(&c, r, err, out, 200);
}

const fc_route fc_kpi_routes[] = {
    {"GET", "/api/v1/kpis", h_kpis, 0,
     "Lead, response, conversion and workshop numbers of a dealer or a network"},
    {0},
};
