/* Countries to currencies: the euro area (Bulgaria since 2026) and the
 * other countries a European or North American network is likely to have.
 * See currency.h. */
#include <string.h>
#include "org/currency.h"

static const struct {
  char country[3], currency[4];
} table[] = {
    {"AT", "EUR"}, {"BE", "EUR"}, {"BG", "EUR"}, {"CY", "EUR"}, {"DE", "EUR"}, {"EE", "EUR"}, {"ES", "EUR"},
    {"FI", "EUR"}, {"FR", "EUR"}, {"GR", "EUR"}, {"HR", "EUR"}, {"IE", "EUR"}, {"IT", "EUR"}, {"LT", "EUR"},
    {"LU", "EUR"}, {"LV", "EUR"}, {"MC", "EUR"}, {"MT", "EUR"}, {"NL", "EUR"}, {"PT", "EUR"}, {"SI", "EUR"},
    {"SK", "EUR"}, {"CA", "CAD"}, {"US", "USD"}, {"GB", "GBP"}, {"CH", "CHF"}, {"LI", "CHF"}, {"SE", "SEK"},
    {"NO", "NOK"}, {"DK", "DKK"}, {"PL", "PLN"}, {"CZ", "CZK"}, {"HU", "HUF"}, {"RO", "RON"}, {"IS", "ISK"},
};

const char *fc_currency_of(const char *country) {
  for (size_t i = 0; country && i < sizeof table / sizeof *table; i++)
    if (strcmp(country, table[i].country) == 0) return table[i].currency;
  return NULL;
}
