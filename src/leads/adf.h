/* ADF (Auto-lead Data Format 1.0) documents: bytes in, plain data out.
 *
 * fc_adf_parse reads one ADF document with expat, streaming (no DOM), and
 * fills an fc_adf_doc whose every string lives in the caller's arena or is a
 * static constant (the mapped values of enumerated attributes). Nothing is
 * read from disk or the network: DTDs, entity declarations and external
 * entities are refused. It is pure and keeps no state between calls, so it
 * is thread-safe with one arena per thread. docs/adf.md lists what is
 * accepted, the deviations of real senders that are tolerated, and the caps.
 *
 * Conventions for the structs below: a string is NULL when the document did
 * not send it (or sent only blanks); text is UTF-8 with surrounding blanks
 * removed; when an element that holds one value is repeated, the first one
 * wins. Enumerated attributes are mapped to the values listed in comments
 * (compared ignoring case; unknown values become "other"; a missing one takes
 * the default of the ADF 1.0 DTD, shown first in the list). */
#ifndef FC_LEADS_ADF_H
#define FC_LEADS_ADF_H
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

enum {
  FC_ADF_MAX_BYTES = 1 << 20, /* whole document */
  FC_ADF_MAX_PROSPECTS = 100,
  FC_ADF_MAX_VEHICLES = 10, /* per prospect, trade-ins included */
  FC_ADF_MAX_PHONES = 5,    /* per customer contact */
  FC_ADF_MAX_IDS = 4,       /* <id> of a prospect */
  FC_ADF_MAX_COLOURS = 5,   /* <colorcombination> per vehicle */
  FC_ADF_MAX_OPTIONS = 20,  /* <option> per vehicle */
  FC_ADF_MAX_AMOUNTS = 4,   /* <amount> per <finance> */
  FC_ADF_MAX_STREET_LINES = 5,
  FC_ADF_MAX_DEPTH = 32,  /* element nesting */
  FC_ADF_MAX_TEXT = 4096, /* bytes of one field's text or attribute value */
  FC_ADF_MAX_ERROR = 200  /* a buffer this size holds any error message */
};

typedef struct fc_adf_phone {
  const char *number; /* as sent (normalising is the caller's business) */
  /* voice|fax|cellphone|pager|other; "mobile", "cell", "cellular" ->
   * cellphone; "home", "work", "business", "phone", "landline" -> voice. */
  const char *type;
  const char *time; /* nopreference|morning|afternoon|evening|day|other */
  int preferred;    /* preferredcontact="1" */
} fc_adf_phone;

typedef struct fc_adf_contact {
  const char *first_name, *last_name;
  /* <name part="full"> (also a <name> without part); when only parts were
   * sent: first, middle, last and suffix joined by spaces. */
  const char *full_name;
  const char *email; /* the first <email>, as sent */
  int email_preferred;
  fc_adf_phone phones[FC_ADF_MAX_PHONES];
  int nphones;
  const char *street; /* <street> lines joined with ", " in document order */
  const char *apartment;
  const char *city, *region, *postal_code, *country; /* region: <regioncode> */
} fc_adf_contact;

typedef struct fc_adf_colour {
  const char *exterior, *interior;
  const char *preference; /* as sent, "1" is the first choice */
} fc_adf_colour;

typedef struct fc_adf_amount {
  const char *type;  /* total|downpayment|monthly|other */
  const char *limit; /* maximum|minimum|exact|other */
  const char *currency, *value;
} fc_adf_amount;

typedef struct fc_adf_finance {
  const char *method; /* cash|finance|lease|other; NULL if not sent */
  fc_adf_amount amounts[FC_ADF_MAX_AMOUNTS];
  int namounts;
  const char *balance, *balance_type; /* balance_type: finance|residual|other */
} fc_adf_finance;

typedef struct fc_adf_vehicle {
  /* buy|lease|sell|trade-in|test-drive|other ("tradein", "trade in",
   * "testdrive", "test drive" are accepted). */
  const char *interest;
  /* new|used|other ("pre-owned", "certified" -> used); missing: "used" for
   * a trade-in or sell vehicle, else "new". */
  const char *status;
  const char *year, *make, *model, *trim, *vin, *stock;
  const char *doors, *bodystyle, *transmission;
  const char *condition; /* excellent|good|fair|poor|unknown|other, NULL if not sent */
  const char *odometer;
  const char *odometer_units;  /* km|mi|other ("miles", "kilometres" mapped); NULL if not sent */
  const char *odometer_status; /* unknown|rolledover|replaced|original|other; NULL if not sent */
  /* The first choice among the colour combinations (lowest preference,
   * ties to the first sent); all of them are in colours[]. */
  const char *colour, *interior_colour;
  fc_adf_colour colours[FC_ADF_MAX_COLOURS];
  int ncolours;
  const char *price, *price_currency; /* the first <price> of the vehicle */
  const char *price_type; /* quote|offer|msrp|invoice|call|appraisal|asking|other; NULL without price */
  const char *options[FC_ADF_MAX_OPTIONS]; /* <option><optionname> */
  int noptions;
  fc_adf_finance finance;
  const char *comments;
} fc_adf_vehicle;

typedef struct fc_adf_prospect {
  const char *status;                     /* new|resend|other */
  const char *request_date;               /* as sent */
  const char *ids[FC_ADF_MAX_IDS];        /* <id> values of the prospect (not of vendor or provider) */
  const char *id_sources[FC_ADF_MAX_IDS]; /* their source attribute, NULL if absent */
  int nids;
  fc_adf_vehicle vehicles[FC_ADF_MAX_VEHICLES];
  int nvehicles;
  fc_adf_contact customer;
  const char *customer_comments;
  const char *timeframe;                             /* <timeframe><description> */
  const char *timeframe_earliest, *timeframe_latest; /* <earliestdate>, <latestdate> as sent */
  const char *vendor_name;                           /* may be NULL: real senders omit it */
  const char *provider_name, *provider_service;
} fc_adf_prospect;

typedef struct fc_adf_doc {
  fc_adf_prospect *prospects; /* arena; nprospects entries in document order */
  int nprospects;             /* 1..FC_ADF_MAX_PROSPECTS on success */
} fc_adf_doc;

/* Parses an ADF document: data (borrowed, len bytes, need not be
 * NUL-terminated). On success returns 0 and fills *out (borrowed, not NULL;
 * overwritten) with data allocated from arena (borrowed, not NULL). On
 * failure returns -1, sets *out to an empty doc, and writes a human-readable
 * reason naming what is wrong into err (borrowed, cap bytes, may be NULL if
 * cap is 0), e.g. "line 3: mismatched tag", "DTDs are not accepted",
 * "prospect 2: the customer contact has no e-mail or phone". All or
 * nothing: one invalid prospect fails the whole document. What the arena
 * received on failure is garbage the caller frees with the arena. */
int fc_adf_parse(const char *data, size_t len, fc_arena *arena, fc_adf_doc *out, char *err, size_t cap);

/* fc_adf_parse, telling the class of failure: FC_OK; FC_ETOOBIG (more than
 * FC_ADF_MAX_BYTES); FC_EBADREQ (a DTD, entity declaration or external
 * entity: a hostile or unsupported document); FC_EINVAL (malformed XML, not
 * ADF, a cap exceeded, or a prospect missing what a lead needs); FC_ENOMEM. */
fc_err fc_adf_parse_ex(const char *data, size_t len, fc_arena *arena, fc_adf_doc *out, char *err,
                       size_t cap) FC_MUST_CHECK;

#endif
