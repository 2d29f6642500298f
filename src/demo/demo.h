/* The demo network loaded into a new database by `serve --demo`: three
 * brands, three dealers (one per country, two of them multi-brand) and one
 * account per role, so a first look at Forecourt shows something real. */
#ifndef FC_DEMO_DEMO_H
#define FC_DEMO_DEMO_H
#include "app.h"

#define FC_DEMO_PASSWORD "forecourt-demo"

/* Loads the network when the database has no brand yet. *loaded says whether it did. */
fc_err fc_demo_load(fc_app *app, int *loaded) FC_MUST_CHECK;

/* Prints the demo logins, one per line, to f. */
void fc_demo_print_logins(void *file);

#endif
