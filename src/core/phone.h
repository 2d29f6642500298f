/* Phone numbers as people type them, reduced to E.164 for storage and matching.
 *
 * A thin C face on libphonenumber (phone.cc is the only C++ in the program).
 * Numbers are checked for being possible (country code and length), not
 * valid (allocated ranges), so fictional numbers such as North America's
 * 555-01xx still normalise, and so do ranges newer than the installed
 * metadata; numbers that cannot be possible are rejected. The price: a number
 * one digit short can still be possible where a country has numbers of both
 * lengths ("06 12 34 56 7" in NL, "+49 1234" in DE). */
#ifndef FC_CORE_PHONE_H
#define FC_CORE_PHONE_H

#ifdef __cplusplus
extern "C" {
#endif

enum { FC_PHONE_MAX = 32 };

/* Parses input (borrowed, UTF-8) as a person typed it: "+49 151 2345678",
 * "06 12 34 56 78", "(514) 555-0123", "0032 2 123 45 67". default_region
 * (borrowed) is an ISO 3166-1 alpha-2 code in either case ("NL", "be"), used
 * only when the number carries no country code; NULL or "" when it must carry
 * its own "+country". On success returns 0 and writes the NUL-terminated E.164
 * form ("+31612345678") into out (FC_PHONE_MAX bytes).
 * Returns -1, with out set to "", when input is NULL, empty, longer than 64
 * bytes, not a possible number (too short or long, letters that are not
 * vanity digits, a local number without its area code such as "555-0123" in
 * the US), or default_region is neither NULL, "" nor two ASCII letters.
 * libphonenumber's leniency shows through: text before the number ("Tel: ")
 * is skipped, and an extension ("ext. 12", "x12") is accepted and dropped,
 * since E.164 has no place for it.
 * Thread-safe; never lets a C++ exception out. */
int fc_phone_e164(const char *input, const char *default_region, char out[FC_PHONE_MAX]);

/* Writes the region (ISO 3166-1 alpha-2, upper case) that the E.164 number
 * e164 (borrowed) belongs to into out (3 bytes): "+31612345678" -> "NL",
 * "+15145550123" -> "CA". A valid number gets its region from its digits;
 * one the metadata does not know as valid gets the region of its country
 * code when the code has just one ("+31 6 1234567" -> "NL"). Writes "" when
 * e164 is NULL or cannot be parsed, or the region cannot be told: shared
 * country codes for unknown ranges (+1, +44 with GB/GG/IM/JE, +7) and
 * non-geographic numbers such as +800.
 * Thread-safe; never lets a C++ exception out. */
void fc_phone_region(const char *e164, char out[3]);

#ifdef __cplusplus
}
#endif

#endif
