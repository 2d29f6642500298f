#ifndef FC_BOOKING_ROUTES_H
#define FC_BOOKING_ROUTES_H
#include "http/http.h"
extern const fc_route fc_booking_routes[];
#endif
