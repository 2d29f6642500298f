/* Every capability's route table, in the order the router tries them. */
#ifndef FC_ROUTES_H
#define FC_ROUTES_H
#include "http/http.h"

extern const fc_route *const fc_all_routes[]; /* NULL-terminated */

#endif
