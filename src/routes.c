#include "auth/routes.h"
#include "booking/routes.h"
#include "customers/routes.h"
#include "kpi/routes.h"
#include "leads/routes.h"
#include "ops/routes.h"
#include "vehicles/routes.h"
#include "org/routes.h"
#include "routes.h"

const fc_route *const fc_all_routes[] = {fc_ops_routes, fc_auth_routes, fc_org_routes, fc_customers_routes, fc_vehicles_routes, fc_booking_routes, fc_leads_routes, fc_kpi_routes, NULL};
