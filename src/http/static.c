/* Static files from web/.
 *
 * The path is resolved with realpath() and must stay inside the web folder,
 * so "..", encoded or not, and symlinks pointing out are all 404. HTML is
 * revalidated on every load (no-cache) so a new release shows at once;
 * other assets are cached for five minutes. Both carry an ETag. */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "http/internal.h"

static const struct {
  const char *ext, *type;
} types[] = {
    {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"}, {".svg", "image/svg+xml"},
    {".png", "image/png"}, {".jpg", "image/jpeg"}, {".ico", "image/x-icon"},
    {".woff2", "font/woff2"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
};

static const char *type_of(const char *path) {
  const char *dot = strrchr(path, '.');
  if (dot && !strchr(dot, '/'))
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
      if (strcmp(dot, types[i].ext) == 0) return types[i].type;
  return "application/octet-stream";
}

static void not_found(fc_req *r) { fc_reply_error(r, FC_ENOTFOUND, "no such file"); }

void fc_static_serve(fc_req *r, const char *web_dir) {
  const char *path = r->path;
  if (strstr(path, "..") || strchr(path, '\\') || strlen(path) > 1024) {
    not_found(r);
    return;
  }
  char root[PATH_MAX], want[PATH_MAX], real[PATH_MAX];
  if (!realpath(web_dir, root)) {
    not_found(r);
    return;
  }
  size_t plen = strlen(path);
  const char *index = plen && path[plen - 1] == '/' ? "index.html" : "";
  if (snprintf(want, sizeof want, "%s%s%s", root, path, index) >= (int)sizeof want || !realpath(want, real)) {
    /* The public booking pages are one page: /book/<slug> and /manage/<token>
     * are web/book/index.html, which reads the rest of the path itself. */
    if ((strncmp(path, "/book/", 6) != 0 && strncmp(path, "/manage/", 8) != 0) || strchr(path + 1, '.') ||
        snprintf(want, sizeof want, "%s/book/index.html", root) >= (int)sizeof want || !realpath(want, real)) {
      not_found(r);
      return;
    }
  }
  size_t rlen = strlen(root);
  if (strncmp(real, root, rlen) != 0 || real[rlen] != '/') {
    not_found(r);
    return;
  }
  int fd = open(real, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) close(fd);
    not_found(r);
    return;
  }
  char etag[64];
  snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
           (unsigned long long)st.st_mtim.tv_sec * 1000000000ull + (unsigned long long)st.st_mtim.tv_nsec);
  const char *type = type_of(real);
  fc_reply_header(r, "ETag", etag);
  fc_reply_header(r, "Cache-Control", strncmp(type, "text/html", 9) == 0 ? "no-cache" : "public, max-age=300");
  if (strncmp(type, "text/html", 9) == 0)
    fc_reply_header(r, "Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
  const char *inm = fc_req_header(r, "If-None-Match");
  if (inm && strcmp(inm, etag) == 0) {
    close(fd);
    fc_reply_empty(r, 304);
    return;
  }
  r->replied = 1;
  r->status = 200;
  r->content_type = type;
  r->reply_fd = fd;
  r->reply_fd_size = (size_t)st.st_size;
}
