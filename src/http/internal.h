/* Request state shared by the files of http/ (not for handlers). */
#ifndef FC_HTTP_INTERNAL_H
#define FC_HTTP_INTERNAL_H
#include <microhttpd.h>
#include "http/http.h"
#include "http/router.h"
#include "http/server.h"

enum { MAX_REPLY_HEADERS = 12 };

struct fc_req {
  struct MHD_Connection *conn;
  const fc_server_config *cfg;
  fc_arena *arena;
  const char *method, *path;
  char id[17];
  double started;
  /* body */
  char *body;
  size_t body_len, body_cap;
  int too_big;
  /* routing */
  fc_match match;
  int route_index; /* -1: none; -2: static file */
  /* caller */
  const struct fc_principal *principal;
  int via_cookie;
  /* reply */
  int status;
  const char *content_type;
  char *reply_body; /* arena */
  size_t reply_len;
  int reply_fd;     /* static files; -1 when unused */
  size_t reply_fd_size;
  const char *hdr_names[MAX_REPLY_HEADERS], *hdr_values[MAX_REPLY_HEADERS];
  int nhdr;
  int replied;
};

/* static.c: serves the file under web_dir for the request's path, or replies 404. */
void fc_static_serve(fc_req *r, const char *web_dir);

#endif
