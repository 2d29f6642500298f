/* Route matching: pure, no I/O. Patterns are literal segments and {name}
 * parameters; a path matches a route when every segment matches. */
#ifndef FC_HTTP_ROUTER_H
#define FC_HTTP_ROUTER_H
#include "http/http.h"

enum { FC_ROUTER_MAX_PARAMS = 6, FC_ROUTER_MAX_PATH = 2048, FC_ROUTER_MAX_ROUTES = 256 };

typedef struct fc_router fc_router;

typedef struct fc_match {
  const fc_route *route;
  int index; /* position in the router, for metrics */
  int nparams;
  const char *names[FC_ROUTER_MAX_PARAMS];
  const char *values[FC_ROUTER_MAX_PARAMS]; /* point into buf */
  char allow[96];                           /* methods of the path, for 405 */
  char buf[FC_ROUTER_MAX_PATH];
} fc_match;

typedef enum { FC_MATCH_NONE, FC_MATCH_FOUND, FC_MATCH_METHOD } fc_match_result;

fc_router *fc_router_new(void);
void fc_router_free(fc_router *rt);
/* Adds every route of a table (borrowed; must outlive the router). -1 when full. */
int fc_router_add_table(fc_router *rt, const fc_route *table);
fc_match_result fc_router_match(const fc_router *rt, const char *method, const char *path, fc_match *m);
int fc_router_count(const fc_router *rt);
const fc_route *fc_router_at(const fc_router *rt, int i);

#endif
