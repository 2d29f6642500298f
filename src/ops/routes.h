#ifndef FC_OPS_ROUTES_H
#define FC_OPS_ROUTES_H
#include "http/http.h"
extern const fc_route fc_ops_routes[];
#endif
