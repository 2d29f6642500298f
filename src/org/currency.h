/* The currency a dealer prices in, from its country. */
#ifndef FC_ORG_CURRENCY_H
#define FC_ORG_CURRENCY_H

/* ISO 4217 code for an ISO 3166 alpha-2 country ("NL" -> "EUR", "CA" ->
 * "CAD"), or NULL for a country not in the table (or NULL): the caller then
 * shows prices without a currency sign. Static text. */
const char *fc_currency_of(const char *country);

#endif
