/* libFuzzer target for the ADF parser: any bytes, a fresh arena each time.
 *
 * Build (from the repository root) and run, seeded with the shared samples
 * (a dictionary of ADF tags, -dict=FILE, helps it reach deeper paths sooner):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_adf.c \
 *     src/leads/adf.c src/core/arena.c src/core/validate.c -lexpat -o /tmp/fuzz_adf
 *   rm -rf /tmp/adf-corpus && cp -r ../shared/data/adf /tmp/adf-corpus && chmod -R u+w /tmp/adf-corpus
 *   /tmp/fuzz_adf -max_total_time=60 /tmp/adf-corpus
 *
 * Beyond "no crash, no leak, no undefined behaviour", it checks the
 * contract: a success has 1..FC_ADF_MAX_PROSPECTS prospects, each with a
 * name, lists within their caps, NUL-terminated strings; a failure has a
 * non-empty reason and an empty doc. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "leads/adf.h"

static void check(int cond) {
  if (!cond) abort();
}

static void check_str(const char *s) {
  if (s) check(strlen(s) <= FC_ADF_MAX_TEXT * 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fc_arena *arena = fc_arena_new();
  if (!arena) return 0;
  fc_adf_doc doc;
  char err[FC_ADF_MAX_ERROR];
  int rc = fc_adf_parse((const char *)data, size, arena, &doc, err, sizeof err);
  if (rc == 0) {
    check(doc.nprospects >= 1 && doc.nprospects <= FC_ADF_MAX_PROSPECTS);
    for (int i = 0; i < doc.nprospects; i++) {
      const fc_adf_prospect *p = &doc.prospects[i];
      check(p->status != NULL);
      check(p->customer.full_name != NULL);
      check(p->nvehicles >= 0 && p->nvehicles <= FC_ADF_MAX_VEHICLES);
      check(p->customer.nphones >= 0 && p->customer.nphones <= FC_ADF_MAX_PHONES);
      check(p->nids >= 0 && p->nids <= FC_ADF_MAX_IDS);
      check_str(p->customer.full_name);
      check_str(p->customer.email);
      check_str(p->customer.street);
      check_str(p->customer_comments);
      for (int k = 0; k < p->customer.nphones; k++) check(p->customer.phones[k].type != NULL);
      for (int v = 0; v < p->nvehicles; v++) {
        const fc_adf_vehicle *ve = &p->vehicles[v];
        check(ve->interest != NULL && ve->status != NULL);
        check(ve->ncolours >= 0 && ve->ncolours <= FC_ADF_MAX_COLOURS);
        check(ve->noptions >= 0 && ve->noptions <= FC_ADF_MAX_OPTIONS);
        check(ve->finance.namounts >= 0 && ve->finance.namounts <= FC_ADF_MAX_AMOUNTS);
        check_str(ve->make);
        check_str(ve->comments);
      }
    }
  } else {
    check(rc == -1 && err[0] != 0 && doc.prospects == NULL && doc.nprospects == 0);
  }
  fc_arena_free(arena);
  return 0;
}
