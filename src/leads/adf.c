/* ADF 1.0 documents read with expat, streaming.
 *
 * Design. Three steps, one pass each:
 *
 * 1. The prolog is scanned for the legacy headers real senders put in front
 *    (`<?ADF VERSION "1.0"?>`, `<?XML VERSION "1.0"?>`, whitespace before the
 *    XML declaration). They make the document ill-formed, so they are cut
 *    out: the buffer is handed to expat in pieces that skip them, without a
 *    copy, and error line numbers are corrected by the newlines skipped.
 * 2. expat parses the pieces. The start-element handler keeps a stack of
 *    element tokens (names looked up ignoring case) and matches the path
 *    below <prospect> against a table of rules; a rule names what the
 *    element's text becomes (a field of the prospect, the current vehicle,
 *    the customer contact, ...). Text is collected only for such elements,
 *    into one fixed buffer of FC_ADF_MAX_TEXT bytes. Everything else is
 *    skipped, so unknown elements cost nothing.
 * 3. At each </prospect> the prospect is checked (a contact with a name and a
 *    way to reach them); the first problem stops the parser. All or nothing.
 *
 * Security. DOCTYPE, entity declarations and external entities stop the
 * parser from their handlers, and parameter entities are never parsed, so no
 * DTD is ever read and only the five predefined entities and character
 * references exist: no XXE, no entity expansion. The input, the nesting, each
 * text and each list are capped; memory use is bounded by the input size. */
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/validate.h"
#include "leads/adf.h"

/* ---- element names ---------------------------------------------------- */

typedef enum tok {
  T_OTHER,
  T_ADDRESS,
  T_ADF,
  T_AMOUNT,
  T_APARTMENT,
  T_BALANCE,
  T_BODYSTYLE,
  T_CITY,
  T_COLORCOMBINATION,
  T_COMMENTS,
  T_CONDITION,
  T_CONTACT,
  T_COUNTRY,
  T_CUSTOMER,
  T_DESCRIPTION,
  T_DOORS,
  T_EARLIESTDATE,
  T_EMAIL,
  T_EXTERIORCOLOR,
  T_FINANCE,
  T_ID,
  T_INTERIORCOLOR,
  T_LATESTDATE,
  T_MAKE,
  T_METHOD,
  T_MODEL,
  T_NAME,
  T_ODOMETER,
  T_OPTION,
  T_OPTIONNAME,
  T_PHONE,
  T_POSTALCODE,
  T_PREFERENCE,
  T_PRICE,
  T_PROSPECT,
  T_PROVIDER,
  T_REGIONCODE,
  T_REQUESTDATE,
  T_SERVICE,
  T_STOCK,
  T_STREET,
  T_TIMEFRAME,
  T_TRANSMISSION,
  T_TRIM,
  T_VEHICLE,
  T_VENDOR,
  T_VENDORNAME,
  T_VIN,
  T_YEAR
} tok;

typedef struct name_tok {
  const char *name;
  tok t;
} name_tok;

/* Sorted by name, for bsearch. */
static const name_tok names[] = {
    {"address", T_ADDRESS},
    {"adf", T_ADF},
    {"amount", T_AMOUNT},
    {"apartment", T_APARTMENT},
    {"balance", T_BALANCE},
    {"bodystyle", T_BODYSTYLE},
    {"city", T_CITY},
    {"colorcombination", T_COLORCOMBINATION},
    {"comments", T_COMMENTS},
    {"condition", T_CONDITION},
    {"contact", T_CONTACT},
    {"country", T_COUNTRY},
    {"customer", T_CUSTOMER},
    {"description", T_DESCRIPTION},
    {"doors", T_DOORS},
    {"earliestdate", T_EARLIESTDATE},
    {"email", T_EMAIL},
    {"exteriorcolor", T_EXTERIORCOLOR},
    {"finance", T_FINANCE},
    {"id", T_ID},
    {"interiorcolor", T_INTERIORCOLOR},
    {"latestdate", T_LATESTDATE},
    {"make", T_MAKE},
    {"method", T_METHOD},
    {"model", T_MODEL},
    {"name", T_NAME},
    {"odometer", T_ODOMETER},
    {"option", T_OPTION},
    {"optionname", T_OPTIONNAME},
    {"phone", T_PHONE},
    {"postalcode", T_POSTALCODE},
    {"preference", T_PREFERENCE},
    {"price", T_PRICE},
    {"prospect", T_PROSPECT},
    {"provider", T_PROVIDER},
    {"regioncode", T_REGIONCODE},
    {"requestdate", T_REQUESTDATE},
    {"service", T_SERVICE},
    {"stock", T_STOCK},
    {"street", T_STREET},
    {"timeframe", T_TIMEFRAME},
    {"transmission", T_TRANSMISSION},
    {"trim", T_TRIM},
    {"vehicle", T_VEHICLE},
    {"vendor", T_VENDOR},
    {"vendorname", T_VENDORNAME},
    {"vin", T_VIN},
    {"year", T_YEAR},
};

static int cmp_name(const void *key, const void *elem) {
  return strcasecmp((const char *)key, ((const name_tok *)elem)->name);
}

static const char *tok_name(int t) {
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
    if ((int)names[i].t == t) return names[i].name;
  return "?";
}

static tok lookup(const char *name) {
  const name_tok *nt = bsearch(name, names, sizeof names / sizeof names[0], sizeof names[0], cmp_name);
  return nt ? nt->t : T_OTHER;
}

/* ---- enumerated values -------------------------------------------------- */

/* An alias (compared ignoring case) and the value it stands for; a table
 * ends with {NULL, NULL}. */
typedef struct alias {
  const char *from, *to;
} alias;

static const alias prospect_statuses[] = {{"new", "new"}, {"resend", "resend"}, {NULL, NULL}};
static const alias interests[] = {{"buy", "buy"},
                                  {"lease", "lease"},
                                  {"sell", "sell"},
                                  {"trade-in", "trade-in"},
                                  {"tradein", "trade-in"},
                                  {"trade in", "trade-in"},
                                  {"trade_in", "trade-in"},
                                  {"test-drive", "test-drive"},
                                  {"testdrive", "test-drive"},
                                  {"test drive", "test-drive"},
                                  {"test_drive", "test-drive"},
                                  {NULL, NULL}};
static const alias vehicle_statuses[] = {{"new", "new"},       {"used", "used"},      {"pre-owned", "used"},
                                         {"preowned", "used"}, {"certified", "used"}, {NULL, NULL}};
static const alias phone_types[] = {{"voice", "voice"},
                                    {"fax", "fax"},
                                    {"cellphone", "cellphone"},
                                    {"pager", "pager"},
                                    {"mobile", "cellphone"},
                                    {"cell", "cellphone"},
                                    {"cellular", "cellphone"},
                                    {"cell phone", "cellphone"},
                                    {"mobilephone", "cellphone"},
                                    {"home", "voice"},
                                    {"work", "voice"},
                                    {"business", "voice"},
                                    {"phone", "voice"},
                                    {"landline", "voice"},
                                    {NULL, NULL}};
static const alias phone_times[] = {
    {"nopreference", "nopreference"}, {"morning", "morning"}, {"afternoon", "afternoon"},
    {"evening", "evening"},           {"day", "day"},         {NULL, NULL}};
static const alias conditions[] = {{"excellent", "excellent"}, {"good", "good"},       {"fair", "fair"},
                                   {"poor", "poor"},           {"unknown", "unknown"}, {NULL, NULL}};
static const alias odometer_units[] = {{"km", "km"},   {"mi", "mi"},         {"miles", "mi"},
                                       {"mile", "mi"}, {"kilometers", "km"}, {"kilometres", "km"},
                                       {NULL, NULL}};
static const alias odometer_statuses[] = {{"unknown", "unknown"},
                                          {"rolledover", "rolledover"},
                                          {"replaced", "replaced"},
                                          {"original", "original"},
                                          {NULL, NULL}};
static const alias price_types[] = {{"quote", "quote"},     {"offer", "offer"}, {"msrp", "msrp"},
                                    {"invoice", "invoice"}, {"call", "call"},   {"appraisal", "appraisal"},
                                    {"asking", "asking"},   {NULL, NULL}};
static const alias finance_methods[] = {
    {"cash", "cash"}, {"finance", "finance"}, {"lease", "lease"}, {NULL, NULL}};
static const alias amount_types[] = {
    {"total", "total"}, {"downpayment", "downpayment"}, {"monthly", "monthly"}, {NULL, NULL}};
static const alias amount_limits[] = {
    {"maximum", "maximum"}, {"minimum", "minimum"}, {"exact", "exact"}, {NULL, NULL}};
static const alias balance_types[] = {{"finance", "finance"}, {"residual", "residual"}, {NULL, NULL}};
/* "surname" is not ADF but some senders use it; an unknown part counts as full. */
static const alias name_parts[] = {{"first", "first"},   {"last", "last"},     {"surname", "last"},
                                   {"middle", "middle"}, {"suffix", "suffix"}, {"full", "full"},
                                   {NULL, NULL}};
static const alias yes_no[] = {{"1", "1"},     {"true", "1"}, {"yes", "1"}, {"0", "0"},
                               {"false", "0"}, {"no", "0"},   {NULL, NULL}};

static int is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* The value v (may be NULL or padded with blanks) stands for in table: dflt
 * when v is NULL or blank, "other" when it is not in the table. */
static const char *map_value(const char *v, const alias *table, const char *dflt) {
  if (!v) return dflt;
  while (is_blank(*v))
    v++;
  size_t n = strlen(v);
  while (n > 0 && is_blank(v[n - 1]))
    n--;
  if (n == 0) return dflt;
  for (const alias *a = table; a->from; a++)
    if (strlen(a->from) == n && strncasecmp(a->from, v, n) == 0) return a->to;
  return "other";
}

/* ---- what an element's text becomes --------------------------------- */

typedef enum kind {
  K_NONE,
  K_SET,     /* text -> field (first wins) */
  K_ENUM,    /* text mapped through rule->map -> field */
  K_ID,      /* a prospect id, with its source */
  K_VEHICLE, /* container: starts a vehicle */
  K_COLOUR,  /* container: starts a colour combination */
  K_CONTACT, /* container: the customer contact exists */
  K_NAME,    /* a customer name, by part */
  K_EMAIL,
  K_PHONE,
  K_STREET, /* appended to the street */
  K_PRICE,
  K_ODOMETER,
  K_OPTION,
  K_AMOUNT,
  K_BALANCE
} kind;

/* Which struct a rule's offset is relative to. */
typedef enum base { B_NONE, B_PROSPECT, B_VEHICLE, B_CONTACT, B_COLOUR, B_FINANCE } base;

enum { MAX_PATH = 4 };

/* A rule: the n element tokens below <prospect>, what the element's text
 * (or its start, for containers) does, and for K_SET/K_ENUM the field, as
 * an offset into the struct named by base. */
typedef struct rule {
  unsigned char n;
  unsigned char path[MAX_PATH];
  unsigned char kind, base;
  size_t off;
  const alias *map;
} rule;

#define P1(a)                                                                                                \
  1, { a }
#define P2(a, b)                                                                                             \
  2, { a, b }
#define P3(a, b, c)                                                                                          \
  3, { a, b, c }
#define P4(a, b, c, d)                                                                                       \
  4, { a, b, c, d }
#define PR(f) B_PROSPECT, offsetof(fc_adf_prospect, f)
#define VE(f) B_VEHICLE, offsetof(fc_adf_vehicle, f)
#define CO(f) B_CONTACT, offsetof(fc_adf_contact, f)
#define CC(f) B_COLOUR, offsetof(fc_adf_colour, f)
#define FI(f) B_FINANCE, offsetof(fc_adf_finance, f)

static const rule rules[] = {
    {P1(T_ID), K_ID, B_NONE, 0, NULL},
    {P1(T_REQUESTDATE), K_SET, PR(request_date), NULL},
    {P1(T_VEHICLE), K_VEHICLE, B_NONE, 0, NULL},
    {P2(T_VEHICLE, T_YEAR), K_SET, VE(year), NULL},
    {P2(T_VEHICLE, T_MAKE), K_SET, VE(make), NULL},
    {P2(T_VEHICLE, T_MODEL), K_SET, VE(model), NULL},
    {P2(T_VEHICLE, T_VIN), K_SET, VE(vin), NULL},
    {P2(T_VEHICLE, T_STOCK), K_SET, VE(stock), NULL},
    {P2(T_VEHICLE, T_TRIM), K_SET, VE(trim), NULL},
    {P2(T_VEHICLE, T_DOORS), K_SET, VE(doors), NULL},
    {P2(T_VEHICLE, T_BODYSTYLE), K_SET, VE(bodystyle), NULL},
    {P2(T_VEHICLE, T_TRANSMISSION), K_SET, VE(transmission), NULL},
    {P2(T_VEHICLE, T_CONDITION), K_ENUM, VE(condition), conditions},
    {P2(T_VEHICLE, T_ODOMETER), K_ODOMETER, B_NONE, 0, NULL},
    {P2(T_VEHICLE, T_COLORCOMBINATION), K_COLOUR, B_NONE, 0, NULL},
    {P3(T_VEHICLE, T_COLORCOMBINATION, T_INTERIORCOLOR), K_SET, CC(interior), NULL},
    {P3(T_VEHICLE, T_COLORCOMBINATION, T_EXTERIORCOLOR), K_SET, CC(exterior), NULL},
    {P3(T_VEHICLE, T_COLORCOMBINATION, T_PREFERENCE), K_SET, CC(preference), NULL},
    {P2(T_VEHICLE, T_PRICE), K_PRICE, B_NONE, 0, NULL},
    {P3(T_VEHICLE, T_OPTION, T_OPTIONNAME), K_OPTION, B_NONE, 0, NULL},
    {P3(T_VEHICLE, T_FINANCE, T_METHOD), K_ENUM, FI(method), finance_methods},
    {P3(T_VEHICLE, T_FINANCE, T_AMOUNT), K_AMOUNT, B_NONE, 0, NULL},
    {P3(T_VEHICLE, T_FINANCE, T_BALANCE), K_BALANCE, B_NONE, 0, NULL},
    {P2(T_VEHICLE, T_COMMENTS), K_SET, VE(comments), NULL},
    {P2(T_CUSTOMER, T_CONTACT), K_CONTACT, B_NONE, 0, NULL},
    {P3(T_CUSTOMER, T_CONTACT, T_NAME), K_NAME, B_NONE, 0, NULL},
    {P3(T_CUSTOMER, T_CONTACT, T_EMAIL), K_EMAIL, B_NONE, 0, NULL},
    {P3(T_CUSTOMER, T_CONTACT, T_PHONE), K_PHONE, B_NONE, 0, NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_STREET), K_STREET, B_NONE, 0, NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_APARTMENT), K_SET, CO(apartment), NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_CITY), K_SET, CO(city), NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_REGIONCODE), K_SET, CO(region), NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_POSTALCODE), K_SET, CO(postal_code), NULL},
    {P4(T_CUSTOMER, T_CONTACT, T_ADDRESS, T_COUNTRY), K_SET, CO(country), NULL},
    {P3(T_CUSTOMER, T_TIMEFRAME, T_DESCRIPTION), K_SET, PR(timeframe), NULL},
    {P3(T_CUSTOMER, T_TIMEFRAME, T_EARLIESTDATE), K_SET, PR(timeframe_earliest), NULL},
    {P3(T_CUSTOMER, T_TIMEFRAME, T_LATESTDATE), K_SET, PR(timeframe_latest), NULL},
    {P2(T_CUSTOMER, T_COMMENTS), K_SET, PR(customer_comments), NULL},
    {P2(T_VENDOR, T_VENDORNAME), K_SET, PR(vendor_name), NULL},
    {P2(T_PROVIDER, T_NAME), K_SET, PR(provider_name), NULL},
    {P2(T_PROVIDER, T_SERVICE), K_SET, PR(provider_service), NULL},
};

/* ---- parser state ------------------------------------------------------ */

typedef struct frame {
  unsigned char t; /* tok */
  const rule *r;   /* the rule that matched, or NULL */
} frame;

/* Attributes of the element whose text is being collected, read at its start. */
typedef struct pending {
  const char *a, *b, *c;
  int flag;
} pending;

typedef struct parser {
  XML_Parser xp;
  fc_arena *arena;
  fc_err code; /* FC_OK until the first failure */
  char *err;
  size_t cap;
  unsigned long line_skew; /* newlines cut from the input before the piece being parsed */

  frame stack[FC_ADF_MAX_DEPTH];
  int depth;
  int text_depth; /* depth of the element whose text is collected, 0 if none */
  size_t ntext;
  char text[FC_ADF_MAX_TEXT + 1]; /* + 1 for the NUL added at the end */
  pending pend;

  fc_adf_prospect *prospects;
  int nprospects, capprospects;
  /* The current prospect's parts that the public struct does not keep. */
  int has_contact, nstreet;
  const char *middle_name, *suffix;
} parser;

static unsigned long line_of(const parser *p) {
  return (unsigned long)XML_GetCurrentLineNumber(p->xp) + p->line_skew;
}

/* Records the first failure (code and message) and stops expat. */
__attribute__((format(printf, 3, 4))) static void fail(parser *p, fc_err code, const char *fmt, ...) {
  if (p->code != FC_OK) return;
  p->code = code;
  if (p->err && p->cap > 0) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->cap, fmt, ap);
    va_end(ap);
  }
  if (p->xp) XML_StopParser(p->xp, XML_FALSE);
}

static void oom(parser *p) { fail(p, FC_ENOMEM, "out of memory"); }

/* The current prospect, vehicle, ... (NULL when there is none). */
static fc_adf_prospect *cur_prospect(parser *p) {
  return p->nprospects > 0 ? &p->prospects[p->nprospects - 1] : NULL;
}

static fc_adf_vehicle *cur_vehicle(parser *p) {
  fc_adf_prospect *pr = cur_prospect(p);
  return pr && pr->nvehicles > 0 ? &pr->vehicles[pr->nvehicles - 1] : NULL;
}

static fc_adf_colour *cur_colour(parser *p) {
  fc_adf_vehicle *v = cur_vehicle(p);
  return v && v->ncolours > 0 ? &v->colours[v->ncolours - 1] : NULL;
}

/* The address of the field a K_SET/K_ENUM rule fills, or NULL. */
static const char **slot_of(parser *p, const rule *r) {
  char *b = NULL;
  fc_adf_prospect *pr = cur_prospect(p);
  fc_adf_vehicle *v = cur_vehicle(p);
  switch ((base)r->base) {
  case B_PROSPECT:
    b = (char *)pr;
    break;
  case B_VEHICLE:
    b = (char *)v;
    break;
  case B_CONTACT:
    b = pr ? (char *)&pr->customer : NULL;
    break;
  case B_COLOUR:
    b = (char *)cur_colour(p);
    break;
  case B_FINANCE:
    b = v ? (char *)&v->finance : NULL;
    break;
  case B_NONE:
    break;
  }
  return b ? (const char **)(void *)(b + r->off) : NULL;
}

/* A copy of s[0..n) without surrounding blanks, in the arena; NULL when
 * nothing is left (or, with p->code set, when memory ran out). */
static const char *trimmed(parser *p, const char *s, size_t n) {
  while (n > 0 && is_blank(*s))
    s++, n--;
  while (n > 0 && is_blank(s[n - 1]))
    n--;
  if (n == 0) return NULL;
  const char *c = fc_arena_strndup(p->arena, s, n);
  if (!c) oom(p);
  return c;
}

/* The value of attribute name in atts (expat's name/value pairs), trimmed,
 * in the arena; NULL if absent or blank. */
static const char *attr(parser *p, const XML_Char **atts, const char *name) {
  for (int i = 0; atts[i]; i += 2) {
    if (strcasecmp(atts[i], name) != 0) continue;
    size_t n = strlen(atts[i + 1]);
    if (n > FC_ADF_MAX_TEXT) {
      fail(p, FC_EINVAL, "line %lu: the %s attribute is longer than %d bytes", line_of(p), name,
           FC_ADF_MAX_TEXT);
      return NULL;
    }
    return trimmed(p, atts[i + 1], n);
  }
  return NULL;
}

/* The raw value of attribute name, not copied (for enumerations). */
static const char *attr_raw(const XML_Char **atts, const char *name) {
  for (int i = 0; atts[i]; i += 2)
    if (strcasecmp(atts[i], name) == 0) return atts[i + 1];
  return NULL;
}

/* ---- starting elements ------------------------------------------------ */

static void start_prospect(parser *p, const XML_Char **atts) {
  if (p->nprospects == FC_ADF_MAX_PROSPECTS) {
    fail(p, FC_EINVAL, "line %lu: more than %d prospects", line_of(p), FC_ADF_MAX_PROSPECTS);
    return;
  }
  if (p->nprospects == p->capprospects) {
    int cap = p->capprospects ? p->capprospects * 2 : 1;
    if (cap > FC_ADF_MAX_PROSPECTS) cap = FC_ADF_MAX_PROSPECTS;
    fc_adf_prospect *np = fc_arena_alloc(p->arena, (size_t)cap * sizeof *np);
    if (!np) {
      oom(p);
      return;
    }
    if (p->nprospects) memcpy(np, p->prospects, (size_t)p->nprospects * sizeof *np);
    p->prospects = np;
    p->capprospects = cap;
  }
  fc_adf_prospect *pr = &p->prospects[p->nprospects++];
  memset(pr, 0, sizeof *pr);
  pr->status = map_value(attr_raw(atts, "status"), prospect_statuses, "new");
  p->has_contact = 0;
  p->nstreet = 0;
  p->middle_name = p->suffix = NULL;
}

static void start_vehicle(parser *p, const XML_Char **atts) {
  fc_adf_prospect *pr = cur_prospect(p);
  if (pr->nvehicles == FC_ADF_MAX_VEHICLES) {
    fail(p, FC_EINVAL, "line %lu: prospect %d has more than %d vehicles", line_of(p), p->nprospects,
         FC_ADF_MAX_VEHICLES);
    return;
  }
  fc_adf_vehicle *v = &pr->vehicles[pr->nvehicles++];
  v->interest = map_value(attr_raw(atts, "interest"), interests, "buy");
  /* The DTD's default is "new", which is wrong for what the customer owns. */
  int owned = strcmp(v->interest, "trade-in") == 0 || strcmp(v->interest, "sell") == 0;
  v->status = map_value(attr_raw(atts, "status"), vehicle_statuses, owned ? "used" : "new");
}

static void start_colour(parser *p) {
  fc_adf_vehicle *v = cur_vehicle(p);
  if (v->ncolours == FC_ADF_MAX_COLOURS) {
    fail(p, FC_EINVAL, "line %lu: prospect %d, vehicle %d has more than %d colour combinations", line_of(p),
         p->nprospects, cur_prospect(p)->nvehicles, FC_ADF_MAX_COLOURS);
    return;
  }
  v->ncolours++;
}

/* Reads the attributes a text rule needs before its text arrives. */
static void start_text(parser *p, const rule *r, const XML_Char **atts) {
  pending *pd = &p->pend;
  memset(pd, 0, sizeof *pd);
  switch ((kind)r->kind) {
  case K_ID:
    pd->a = attr(p, atts, "source");
    break;
  case K_NAME:
    pd->a = map_value(attr_raw(atts, "part"), name_parts, "full");
    break;
  case K_EMAIL:
    pd->flag = strcmp(map_value(attr_raw(atts, "preferredcontact"), yes_no, "0"), "1") == 0;
    break;
  case K_PHONE:
    pd->a = map_value(attr_raw(atts, "type"), phone_types, "voice");
    pd->b = map_value(attr_raw(atts, "time"), phone_times, "nopreference");
    pd->flag = strcmp(map_value(attr_raw(atts, "preferredcontact"), yes_no, "0"), "1") == 0;
    break;
  case K_PRICE:
    pd->a = attr(p, atts, "currency");
    pd->b = map_value(attr_raw(atts, "type"), price_types, "quote");
    break;
  case K_ODOMETER:
    pd->a = map_value(attr_raw(atts, "units"), odometer_units, NULL);
    pd->b = map_value(attr_raw(atts, "status"), odometer_statuses, NULL);
    break;
  case K_AMOUNT:
    pd->a = map_value(attr_raw(atts, "type"), amount_types, "total");
    pd->b = map_value(attr_raw(atts, "limit"), amount_limits, "maximum");
    pd->c = attr(p, atts, "currency");
    break;
  case K_BALANCE:
    pd->a = map_value(attr_raw(atts, "type"), balance_types, "finance");
    break;
  default:
    break;
  }
}

/* 1 when the stack below <prospect> (depths 3..depth) is r's path. */
static int path_matches(const parser *p, const rule *r) {
  if (p->depth - 2 != r->n) return 0;
  for (int i = 0; i < r->n; i++)
    if (p->stack[2 + i].t != r->path[i]) return 0;
  return 1;
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  parser *p = ud;
  if (p->code != FC_OK) return;
  if (p->depth == FC_ADF_MAX_DEPTH) {
    fail(p, FC_EINVAL, "line %lu: elements are nested deeper than %d levels", line_of(p), FC_ADF_MAX_DEPTH);
    return;
  }
  tok t = lookup(name);
  frame *f = &p->stack[p->depth++];
  f->t = (unsigned char)t;
  f->r = NULL;
  if (p->depth == 1) {
    if (t != T_ADF) fail(p, FC_EINVAL, "line %lu: the root element is <%.40s>, not <adf>", line_of(p), name);
    return;
  }
  if (p->depth == 2) {
    if (t == T_PROSPECT) start_prospect(p, atts);
    return;
  }
  /* Below a prospect, outside any element whose text is collected. */
  if (p->stack[1].t != T_PROSPECT || p->text_depth != 0 || p->depth - 2 > MAX_PATH) return;
  const rule *r = NULL;
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
    if (path_matches(p, &rules[i])) {
      r = &rules[i];
      break;
    }
  if (!r) return;
  switch ((kind)r->kind) {
  case K_VEHICLE:
    start_vehicle(p, atts);
    return;
  case K_COLOUR:
    start_colour(p);
    return;
  case K_CONTACT:
    p->has_contact = 1;
    return;
  default:
    break;
  }
  /* Text of a vehicle's child with no vehicle cannot happen: the path holds
   * <vehicle>, which started one. */
  f->r = r;
  p->text_depth = p->depth;
  p->ntext = 0;
  start_text(p, r, atts);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  parser *p = ud;
  if (p->code != FC_OK || p->text_depth != p->depth || len <= 0) return;
  size_t n = (size_t)len;
  if (p->ntext == 0)
    while (n > 0 && is_blank(*s))
      s++, n--;
  if (n > FC_ADF_MAX_TEXT - p->ntext) {
    fail(p, FC_EINVAL, "line %lu: the text of <%s> is longer than %d bytes", line_of(p),
         tok_name(p->stack[p->depth - 1].t), FC_ADF_MAX_TEXT);
    return;
  }
  memcpy(p->text + p->ntext, s, n);
  p->ntext += n;
}

/* ---- ending elements ---------------------------------------------------- */

/* A copy of s in the arena (NULL, with the failure recorded, when memory
 * runs out). */
static const char *keep(parser *p, const char *s) {
  const char *c = fc_arena_strdup(p->arena, s);
  if (!c) oom(p);
  return c;
}

/* Appends line (borrowed) to the contact's street, joined by ", ". */
static void add_street(parser *p, fc_adf_contact *c, const char *line) {
  if (p->nstreet == FC_ADF_MAX_STREET_LINES) {
    fail(p, FC_EINVAL, "line %lu: prospect %d has more than %d street lines", line_of(p), p->nprospects,
         FC_ADF_MAX_STREET_LINES);
    return;
  }
  p->nstreet++;
  if (!c->street) {
    c->street = keep(p, line);
    return;
  }
  const char *joined = fc_arena_printf(p->arena, "%s, %s", c->street, line);
  if (!joined) {
    oom(p);
    return;
  }
  c->street = joined;
}

/* Stores the collected text s (trimmed, not blank, borrowed: copied only
 * when kept) as rule r says. Lists fail when full. */
static void store(parser *p, const rule *r, const char *s) {
  fc_adf_prospect *pr = cur_prospect(p);
  fc_adf_vehicle *v = cur_vehicle(p);
  fc_adf_contact *c = &pr->customer;
  const pending *pd = &p->pend;
  const char **slot = NULL;
  switch ((kind)r->kind) {
  case K_SET:
    slot = slot_of(p, r);
    if (slot && !*slot) *slot = keep(p, s);
    break;
  case K_ENUM:
    slot = slot_of(p, r);
    if (slot && !*slot) *slot = map_value(s, r->map, NULL);
    break;
  case K_ID:
    if (pr->nids == FC_ADF_MAX_IDS) {
      fail(p, FC_EINVAL, "line %lu: prospect %d has more than %d ids", line_of(p), p->nprospects,
           FC_ADF_MAX_IDS);
      return;
    }
    pr->ids[pr->nids] = keep(p, s);
    pr->id_sources[pr->nids++] = pd->a;
    break;
  case K_NAME:
    if (strcmp(pd->a, "first") == 0)
      slot = &c->first_name;
    else if (strcmp(pd->a, "last") == 0)
      slot = &c->last_name;
    else if (strcmp(pd->a, "middle") == 0)
      slot = &p->middle_name;
    else if (strcmp(pd->a, "suffix") == 0)
      slot = &p->suffix;
    else
      slot = &c->full_name;
    if (!*slot) *slot = keep(p, s);
    break;
  case K_EMAIL:
    if (!c->email) {
      c->email = keep(p, s);
      c->email_preferred = pd->flag;
    }
    break;
  case K_PHONE:
    if (c->nphones == FC_ADF_MAX_PHONES) {
      fail(p, FC_EINVAL, "line %lu: prospect %d has more than %d customer phones", line_of(p), p->nprospects,
           FC_ADF_MAX_PHONES);
      return;
    }
    c->phones[c->nphones++] =
        (fc_adf_phone){.number = keep(p, s), .type = pd->a, .time = pd->b, .preferred = pd->flag};
    break;
  case K_STREET:
    add_street(p, c, s);
    break;
  case K_PRICE:
    if (!v->price) {
      v->price = keep(p, s);
      v->price_currency = pd->a;
      v->price_type = pd->b;
    }
    break;
  case K_ODOMETER:
    if (!v->odometer) {
      v->odometer = keep(p, s);
      v->odometer_units = pd->a;
      v->odometer_status = pd->b;
    }
    break;
  case K_OPTION:
    if (v->noptions == FC_ADF_MAX_OPTIONS) {
      fail(p, FC_EINVAL, "line %lu: prospect %d, vehicle %d has more than %d options", line_of(p),
           p->nprospects, pr->nvehicles, FC_ADF_MAX_OPTIONS);
      return;
    }
    v->options[v->noptions++] = keep(p, s);
    break;
  case K_AMOUNT:
    if (v->finance.namounts == FC_ADF_MAX_AMOUNTS) {
      fail(p, FC_EINVAL, "line %lu: prospect %d, vehicle %d has more than %d finance amounts", line_of(p),
           p->nprospects, pr->nvehicles, FC_ADF_MAX_AMOUNTS);
      return;
    }
    v->finance.amounts[v->finance.namounts++] =
        (fc_adf_amount){.type = pd->a, .limit = pd->b, .currency = pd->c, .value = keep(p, s)};
    break;
  case K_BALANCE:
    if (!v->finance.balance) {
      v->finance.balance = keep(p, s);
      v->finance.balance_type = pd->a;
    }
    break;
  default:
    break;
  }
}

enum { NO_PREFERENCE = 1000000 };

/* The rank a <preference> gives: its number, NO_PREFERENCE when absent or
 * not a positive number. */
static long preference_rank(const char *pref) {
  if (!pref) return NO_PREFERENCE;
  char *end = NULL;
  long n = strtol(pref, &end, 10);
  return end && end != pref && *end == 0 && n >= 1 && n < NO_PREFERENCE ? n : NO_PREFERENCE;
}

/* Picks the first-choice colour combination: the lowest preference number,
 * ties (and combinations without a number) in document order. */
static void pick_colour(fc_adf_vehicle *v) {
  long best = 0;
  const fc_adf_colour *pick = NULL;
  for (int i = 0; i < v->ncolours; i++) {
    long rank = preference_rank(v->colours[i].preference);
    if (!pick || rank < best) {
      pick = &v->colours[i];
      best = rank;
    }
  }
  if (pick) {
    v->colour = pick->exterior;
    v->interior_colour = pick->interior;
  }
}

/* Counts the decimal digits of s. */
static int digits(const char *s) {
  int n = 0;
  for (; *s; s++)
    n += *s >= '0' && *s <= '9';
  return n;
}

enum { MIN_PHONE_DIGITS = 4 };

/* Completes and checks the prospect that just ended. */
static void end_prospect(parser *p) {
  fc_adf_prospect *pr = cur_prospect(p);
  fc_adf_contact *c = &pr->customer;
  int n = p->nprospects;
  for (int i = 0; i < pr->nvehicles; i++)
    pick_colour(&pr->vehicles[i]);
  if (!c->full_name && (c->first_name || c->last_name)) {
    const char *parts[] = {c->first_name, p->middle_name, c->last_name, p->suffix};
    char *full = NULL;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
      if (!parts[i]) continue;
      full = full ? fc_arena_printf(p->arena, "%s %s", full, parts[i]) : fc_arena_strdup(p->arena, parts[i]);
      if (!full) {
        oom(p);
        return;
      }
    }
    c->full_name = full;
  }
  if (!p->has_contact) {
    fail(p, FC_EINVAL, "prospect %d has no customer contact (name and e-mail or phone)", n);
    return;
  }
  if (!c->full_name) {
    fail(p, FC_EINVAL, "prospect %d: the customer contact has no name (first and last name, or full name)",
         n);
    return;
  }
  int reachable = c->email && fc_valid_email(c->email);
  for (int i = 0; i < c->nphones && !reachable; i++)
    reachable = digits(c->phones[i].number) >= MIN_PHONE_DIGITS;
  if (reachable) return;
  if (c->email)
    fail(p, FC_EINVAL,
         "prospect %d: the customer e-mail \"%.60s\" is not an e-mail address and there is no phone", n,
         c->email);
  else if (c->nphones)
    fail(p, FC_EINVAL,
         "prospect %d: the customer phone \"%.40s\" has fewer than %d digits and there is no e-mail", n,
         c->phones[0].number, MIN_PHONE_DIGITS);
  else
    fail(p, FC_EINVAL, "prospect %d: the customer contact has no e-mail or phone", n);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  parser *p = ud;
  if (p->code != FC_OK || p->depth == 0) return;
  const frame *f = &p->stack[p->depth - 1];
  if (p->text_depth == p->depth) {
    p->text_depth = 0;
    size_t n = p->ntext; /* leading blanks were never collected */
    while (n > 0 && is_blank(p->text[n - 1]))
      n--;
    p->text[n] = 0;
    if (n > 0) store(p, f->r, p->text);
  } else if (p->depth == 2 && f->t == T_PROSPECT) {
    end_prospect(p);
  } else if (p->depth == 4 && f->t == T_COLORCOMBINATION && p->stack[2].t == T_VEHICLE &&
             p->stack[1].t == T_PROSPECT) {
    fc_adf_vehicle *v = cur_vehicle(p);
    const fc_adf_colour *cc = cur_colour(p);
    if (cc && !cc->exterior && !cc->interior) memset(&v->colours[--v->ncolours], 0, sizeof *cc);
  }
  p->depth--;
}

/* ---- refusing DTDs and entities --------------------------------------- */

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal_subset) {
  fail(ud, FC_EBADREQ, "DTDs are not accepted");
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                                   int value_len, const XML_Char *base_uri, const XML_Char *sysid,
                                   const XML_Char *pubid, const XML_Char *notation) {
  fail(ud, FC_EBADREQ, "entity declarations are not accepted");
}

static int XMLCALL on_external_entity(XML_Parser xp, const XML_Char *context, const XML_Char *base_uri,
                                      const XML_Char *sysid, const XML_Char *pubid) {
  return XML_STATUS_ERROR;
}

/* ---- single-byte encodings expat does not know ------------------------ */

/* Windows-1252 0x80..0x9F (undefined bytes map to the C1 control, as WHATWG does). */
static const unsigned short cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

static int XMLCALL on_unknown_encoding(void *ud, const XML_Char *name, XML_Encoding *info) {
  static const char *const cp1252[] = {"windows-1252", "cp1252", "x-cp1252", NULL};
  static const char *const latin9[] = {"iso-8859-15", "iso8859-15", "latin-9", "latin9", NULL};
  static const char *const latin1[] = {"latin1", "latin-1", "iso8859-1", "iso_8859-1", "l1", NULL};
  int which = 0;
  for (int i = 0; cp1252[i]; i++)
    which = strcasecmp(name, cp1252[i]) == 0 ? 1 : which;
  for (int i = 0; latin9[i]; i++)
    which = strcasecmp(name, latin9[i]) == 0 ? 2 : which;
  for (int i = 0; latin1[i]; i++)
    which = strcasecmp(name, latin1[i]) == 0 ? 3 : which;
  if (!which) return XML_STATUS_ERROR;
  for (int i = 0; i < 256; i++)
    info->map[i] = i;
  if (which == 1)
    for (int i = 0; i < 32; i++)
      info->map[0x80 + i] = cp1252_high[i];
  if (which == 2) {
    static const unsigned short from[] = {0xA4, 0xA6, 0xA8, 0xB4, 0xB8, 0xBC, 0xBD, 0xBE};
    static const unsigned short to[] = {0x20AC, 0x0160, 0x0161, 0x017D, 0x017E, 0x0152, 0x0153, 0x0178};
    for (int i = 0; i < 8; i++)
      info->map[from[i]] = to[i];
  }
  info->data = NULL;
  info->convert = NULL;
  info->release = NULL;
  return XML_STATUS_OK;
}

/* ---- the legacy prolog ------------------------------------------------- */

enum { MAX_CUTS = 16, MAX_PI = 1024, MAX_ENCODING = 40 };

/* What the prolog scan found: byte ranges to leave out, and the encoding a
 * cut legacy declaration named (used when no real declaration remains). */
typedef struct prolog {
  size_t cut_from[MAX_CUTS], cut_to[MAX_CUTS];
  int ncuts;
  int has_decl;
  char encoding[MAX_ENCODING + 1];
} prolog;

static size_t skip_blanks(const char *d, size_t len, size_t i) {
  while (i < len && is_blank(d[i]))
    i++;
  return i;
}

/* 1 when d[i..] starts with s. */
static int starts(const char *d, size_t len, size_t i, const char *s) {
  size_t n = strlen(s);
  return len - i >= n && memcmp(d + i, s, n) == 0;
}

/* 1 when the PI at d[i] ("<?xml ...") is a proper XML declaration as far as
 * its start goes: the target is exactly "xml" and version= follows. */
static int real_decl(const char *d, size_t len, size_t i) {
  if (!starts(d, len, i, "<?xml") || len - i < 6 || !is_blank(d[i + 5])) return 0;
  size_t j = skip_blanks(d, len, i + 5);
  if (!starts(d, len, j, "version")) return 0;
  j = skip_blanks(d, len, j + 7);
  return j < len && d[j] == '=';
}

/* Reads ENCODING "x" / encoding='x' / ENCODING=x from a legacy PI d[i..end). */
static void legacy_encoding(const char *d, size_t i, size_t end, prolog *pl) {
  for (; i + 8 <= end; i++) {
    if (strncasecmp(d + i, "encoding", 8) != 0) continue;
    size_t j = skip_blanks(d, end, i + 8);
    if (j < end && d[j] == '=') j = skip_blanks(d, end, j + 1);
    if (j < end && (d[j] == '"' || d[j] == '\'')) j++;
    size_t n = 0;
    while (j + n < end && n < MAX_ENCODING &&
           (d[j + n] == '-' || d[j + n] == '_' || d[j + n] == '.' || (d[j + n] >= '0' && d[j + n] <= '9') ||
            ((d[j + n] | 0x20) >= 'a' && (d[j + n] | 0x20) <= 'z')))
      n++;
    memcpy(pl->encoding, d + j, n);
    pl->encoding[n] = 0;
    return;
  }
}

/* Finds what to leave out of the prolog of d[0..len): whitespace and ADF
 * processing instructions before the XML declaration (which must come
 * first), and any PI whose target is "xml" in some other spelling, e.g.
 * <?XML VERSION "1.0"?> (reserved, so not well-formed anywhere). A PI with
 * another target, or anything else, ends the scan. */
static void scan_prolog(const char *d, size_t len, prolog *pl) {
  memset(pl, 0, sizeof *pl);
  size_t start = len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  size_t i = start;
  for (int guard = 0; guard < MAX_CUTS * 2; guard++) {
    size_t j = skip_blanks(d, len, i);
    if (!starts(d, len, j, "<?")) break;
    if (!pl->has_decl && real_decl(d, len, j)) {
      /* Everything between the byte-order mark and the declaration goes. */
      pl->has_decl = 1;
      pl->ncuts = 0;
      pl->encoding[0] = 0;
      if (j > start) {
        pl->cut_from[0] = start;
        pl->cut_to[0] = j;
        pl->ncuts = 1;
      }
    } else {
      size_t t = j + 2, tn = 0;
      while (t + tn < len && tn < 4 && !is_blank(d[t + tn]) && d[t + tn] != '?')
        tn++;
      int xmlish = tn == 3 && strncasecmp(d + t, "xml", 3) == 0;
      int adf = tn == 3 && strncasecmp(d + t, "adf", 3) == 0;
      if (!xmlish && !adf) break;
      size_t limit = len - j > MAX_PI ? j + MAX_PI : len, end = j + 2;
      while (end + 1 < limit && !(d[end] == '?' && d[end + 1] == '>'))
        end++;
      if (end + 1 >= limit) break;
      end += 2;
      if (xmlish) {
        if (pl->ncuts == MAX_CUTS) break;
        pl->cut_from[pl->ncuts] = j;
        pl->cut_to[pl->ncuts++] = end;
        if (!pl->has_decl) legacy_encoding(d, j, end, pl);
      }
      i = end;
      continue;
    }
    /* Past the declaration itself. */
    size_t end = j + 2;
    while (end + 1 < len && !(d[end] == '?' && d[end + 1] == '>'))
      end++;
    if (end + 1 >= len) break;
    i = end + 2;
  }
}

static unsigned long newlines(const char *d, size_t from, size_t to) {
  unsigned long n = 0;
  for (size_t i = from; i < to; i++)
    n += d[i] == '\n';
  return n;
}

/* ---- the entry points -------------------------------------------------- */

/* Feeds d[0..len) minus the cuts to expat. Returns 0, or -1 after a failure
 * (recorded in p). */
static int feed(parser *p, const char *d, size_t len, const prolog *pl) {
  size_t at = 0;
  for (int k = 0; k <= pl->ncuts; k++) {
    size_t to = k < pl->ncuts ? pl->cut_from[k] : len;
    int final = k == pl->ncuts;
    if (to > at || final) {
      enum XML_Status st = XML_Parse(p->xp, d + at, (int)(to - at), final);
      if (st != XML_STATUS_OK) {
        if (p->code == FC_OK) {
          enum XML_Error e = XML_GetErrorCode(p->xp);
          if (e == XML_ERROR_NO_MEMORY)
            fail(p, FC_ENOMEM, "out of memory");
          else if (e == XML_ERROR_NO_ELEMENTS && p->depth > 0)
            fail(p, FC_EINVAL, "line %lu: the document ends inside <%s> (truncated?)", line_of(p),
                 p->stack[p->depth - 1].t == T_OTHER ? "an unknown element"
                                                     : tok_name(p->stack[p->depth - 1].t));
          else
            fail(p, FC_EINVAL, "line %lu: %s", line_of(p), XML_ErrorString(e));
        }
        return -1;
      }
      if (p->code != FC_OK) return -1;
    }
    if (k < pl->ncuts) {
      p->line_skew += newlines(d, pl->cut_from[k], pl->cut_to[k]);
      at = pl->cut_to[k];
    }
  }
  return 0;
}

fc_err fc_adf_parse_ex(const char *data, size_t len, fc_arena *arena, fc_adf_doc *out, char *err,
                       size_t cap) {
  parser p;
  prolog pl;
  memset(&p, 0, sizeof p);
  p.arena = arena;
  p.err = err;
  p.cap = cap;
  out->prospects = NULL;
  out->nprospects = 0;
  if (err && cap) err[0] = 0;
  if (len > FC_ADF_MAX_BYTES) {
    fail(&p, FC_ETOOBIG, "the document is larger than %d bytes", FC_ADF_MAX_BYTES);
    goto out;
  }
  size_t first = data && len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  if (!data || skip_blanks(data, len, first) == len) {
    fail(&p, FC_EINVAL, "the document is empty");
    goto out;
  }
  scan_prolog(data, len, &pl);
  p.xp = XML_ParserCreate(!pl.has_decl && pl.encoding[0] ? pl.encoding : NULL);
  if (!p.xp) {
    oom(&p);
    goto out;
  }
  XML_SetUserData(p.xp, &p);
  XML_SetElementHandler(p.xp, on_start, on_end);
  XML_SetCharacterDataHandler(p.xp, on_text);
  XML_SetStartDoctypeDeclHandler(p.xp, on_doctype);
  XML_SetEntityDeclHandler(p.xp, on_entity_decl);
  XML_SetExternalEntityRefHandler(p.xp, on_external_entity);
  XML_SetParamEntityParsing(p.xp, XML_PARAM_ENTITY_PARSING_NEVER);
  XML_SetUnknownEncodingHandler(p.xp, on_unknown_encoding, NULL);
  if (feed(&p, data, len, &pl) != 0) goto out;
  if (p.nprospects == 0) fail(&p, FC_EINVAL, "the document has no <prospect>");
  if (p.code == FC_OK) {
    out->prospects = p.prospects;
    out->nprospects = p.nprospects;
  }
out:
  if (p.xp) XML_ParserFree(p.xp);
  return p.code;
}

int fc_adf_parse(const char *data, size_t len, fc_arena *arena, fc_adf_doc *out, char *err, size_t cap) {
  return fc_adf_parse_ex(data, len, arena, out, err, cap) == FC_OK ? 0 : -1;
}
