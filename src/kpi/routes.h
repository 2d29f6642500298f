#ifndef FC_KPI_ROUTES_H
#define FC_KPI_ROUTES_H
#include "http/http.h"
extern const fc_route fc_kpi_routes[];
#endif
