#ifndef FC_ORG_ROUTES_H
#define FC_ORG_ROUTES_H
#include "http/http.h"
extern const fc_route fc_org_routes[];
#endif
