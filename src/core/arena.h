/* A region allocator: many small allocations, one release.
 *
 * Each request owns an arena freed when its response completes, so handlers
 * and services never call free() on per-request data. Blocks grow
 * geometrically; a single allocation larger than a block gets its own. */
#ifndef FC_CORE_ARENA_H
#define FC_CORE_ARENA_H
#include <stddef.h>

typedef struct fc_arena fc_arena;

fc_arena *fc_arena_new(void);            /* NULL on allocation failure */
void fc_arena_free(fc_arena *a);         /* releases everything; a may be NULL */
void *fc_arena_alloc(fc_arena *a, size_t n); /* zeroed, 16-aligned; NULL on failure */
char *fc_arena_strdup(fc_arena *a, const char *s);          /* NULL if s is NULL */
char *fc_arena_strndup(fc_arena *a, const char *s, size_t n);
char *fc_arena_printf(fc_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t fc_arena_used(const fc_arena *a); /* bytes handed out, for tests and metrics */

#endif
