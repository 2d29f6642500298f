#ifndef FC_CUSTOMERS_ROUTES_H
#define FC_CUSTOMERS_ROUTES_H
#include "http/http.h"
extern const fc_route fc_customers_routes[];
#endif
