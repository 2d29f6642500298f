#include <string.h>
#include "core/embedded.h"

const fc_embedded_file *fc_embedded_find(const char *name) {
  for (const fc_embedded_file *f = fc_embedded; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}
