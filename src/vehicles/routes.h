#ifndef FC_VEHICLES_ROUTES_H
#define FC_VEHICLES_ROUTES_H
#include "http/http.h"
extern const fc_route fc_vehicles_routes[];
#endif
