/* Files compiled into the binary by cmake/embed.cmake. */
#ifndef FC_CORE_EMBEDDED_H
#define FC_CORE_EMBEDDED_H
#include <stddef.h>

typedef struct fc_embedded_file {
  const char *name; /* base name, e.g. "0001_init.sql" */
  const char *data; /* NUL-terminated contents */
  size_t size;
} fc_embedded_file;

/* Terminated by an entry whose name is NULL; migrations appear in name order. */
extern const fc_embedded_file fc_embedded[];

/* The file called name, or NULL. */
const fc_embedded_file *fc_embedded_find(const char *name);

#endif
