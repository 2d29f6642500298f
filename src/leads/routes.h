#ifndef FC_LEADS_ROUTES_H
#define FC_LEADS_ROUTES_H
#include "http/http.h"
extern const fc_route fc_leads_routes[];
#endif
