#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "http/router.h"

struct fc_router {
  const fc_route *routes[FC_ROUTER_MAX_ROUTES];
  int n;
};

fc_router *fc_router_new(void) { return calloc(1, sizeof(fc_router)); }
void fc_router_free(fc_router *rt) { free(rt); }
int fc_router_count(const fc_router *rt) { return rt->n; }
const fc_route *fc_router_at(const fc_router *rt, int i) { return i >= 0 && i < rt->n ? rt->routes[i] : NULL; }

int fc_router_add_table(fc_router *rt, const fc_route *table) {
  for (const fc_route *r = table; r->method; r++) {
    if (rt->n == FC_ROUTER_MAX_ROUTES) return -1;
    rt->routes[rt->n++] = r;
  }
  return 0;
}

/* Matches pattern against path (both start with '/'). Parameter values are
 * copied into m->buf. Returns 1 on a match. */
static int match_one(const char *pattern, const char *path, fc_match *m) {
  const char *p = pattern, *s = path;
  char *out = m->buf;
  char *end = m->buf + sizeof m->buf;
  m->nparams = 0;
  while (*p && *s) {
    if (*p != '/' || *s != '/') return 0;
    p++, s++;
    const char *pe = strchr(p, '/');
    if (!pe) pe = p + strlen(p);
    const char *se = strchr(s, '/');
    if (!se) se = s + strlen(s);
    size_t plen = (size_t)(pe - p), slen = (size_t)(se - s);
    if (plen > 2 && p[0] == '{' && p[plen - 1] == '}') {
      if (slen == 0 || m->nparams == FC_ROUTER_MAX_PARAMS || out + slen + 1 > end) return 0;
      memcpy(out, s, slen);
      out[slen] = 0;
      m->values[m->nparams] = out;
      /* the name is stored after the value: "{id}" -> "id" */
      out += slen + 1;
      if (out + plen - 1 > end) return 0;
      memcpy(out, p + 1, plen - 2);
      out[plen - 2] = 0;
      m->names[m->nparams++] = out;
      out += plen - 1;
    } else if (plen != slen || memcmp(p, s, plen) != 0) {
      return 0;
    }
    p = pe, s = se;
  }
  return *p == 0 && *s == 0;
}

fc_match_result fc_router_match(const fc_router *rt, const char *method, const char *path, fc_match *m) {
  memset(m, 0, offsetof(fc_match, buf));
  m->index = -1;
  if (!path || path[0] != '/' || strlen(path) >= FC_ROUTER_MAX_PATH) return FC_MATCH_NONE;
  /* "/x/" is not "/x": trailing slashes are distinct paths (404). */
  int path_seen = 0;
  for (int i = 0; i < rt->n; i++) {
    const fc_route *r = rt->routes[i];
    fc_match tmp;
    if (!match_one(r->pattern, path, &tmp)) continue;
    if (strcmp(r->method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(r->method, "GET") == 0)) {
      char allow[sizeof m->allow];
      memcpy(allow, m->allow, sizeof allow);
      *m = tmp;
      memcpy(m->allow, allow, sizeof allow);
      m->route = r;
      m->index = i;
      /* names and values point into tmp.buf: re-point them into m->buf */
      for (int k = 0; k < m->nparams; k++) {
        m->values[k] = m->buf + (tmp.values[k] - tmp.buf);
        m->names[k] = m->buf + (tmp.names[k] - tmp.buf);
      }
      return FC_MATCH_FOUND;
    }
    path_seen = 1;
    size_t used = strlen(m->allow);
    if (!strstr(m->allow, r->method) && used + strlen(r->method) + 3 < sizeof m->allow)
      snprintf(m->allow + used, sizeof m->allow - used, "%s%s", used ? ", " : "", r->method);
  }
  return path_seen ? FC_MATCH_METHOD : FC_MATCH_NONE;
}
