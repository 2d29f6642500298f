/* Deterministic generators: ids, VINs, number plates, phone numbers as
 * people type them, ASCII forms of names. Pure functions of their inputs and
 * of the random stream they are handed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/fold.h"
#include "seed/internal.h"

/* --- ids: the layout of core/id.c, with the random part from the stream */

static const char id_alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void fc_seed_id(int64_t ms, fc_seed_rng *r, char out[FC_SEED_ID_LEN + 1]) {
  unsigned char raw[16];
  uint64_t t = (uint64_t)ms;
  for (int i = 5; i >= 0; i--) {
    raw[i] = (unsigned char)(t & 0xff);
    t >>= 8;
  }
  uint64_t a = fc_seed_next(r), b = fc_seed_next(r);
  for (int i = 0; i < 8; i++)
    raw[6 + i] = (unsigned char)(a >> (8 * i));
  raw[14] = (unsigned char)b;
  raw[15] = (unsigned char)(b >> 8);
  /* 128 bits -> 26 base32 digits, most significant first. */
  for (int i = FC_SEED_ID_LEN - 1; i >= 0; i--) {
    int bit = (FC_SEED_ID_LEN - 1 - i) * 5;
    unsigned v = 0;
    for (int k = 0; k < 5; k++) {
      int bb = bit + k;
      if (bb < 128 && (raw[15 - bb / 8] >> (bb % 8)) & 1) v |= 1u << k;
    }
    out[i] = id_alphabet[v];
  }
  out[FC_SEED_ID_LEN] = 0;
}

/* --- VINs (ISO 3779; check digit as 49 CFR 565.15) */

static int translit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
  static const int values[] = {1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9};
  const char *p = strchr(letters, c);
  return p ? values[p - letters] : 0;
}

char fc_seed_year_code(int year) {
  static const char codes[] = "ABCDEFGHJKLMNPRSTVWXY123456789"; /* 1980 .. 2009, then again from 2010 */
  int i = (year - 1980) % 30;
  if (i < 0) i += 30;
  return codes[i];
}

void fc_seed_vin(const char *wmi, const char vds[6], int model_year, uint32_t unique, char out[18]) {
  static const char plants[] = "ABCDEFGHJK";
  static const int weights[17] = {8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2};
  /* A bijection of 0..10^7-1 so that serials do not simply count up: a
   * bijective mix of 24 bits, walked until it lands below 10^7. */
  uint32_t u = unique;
  do {
    u = (u * 0x9E3779u + 0x7F4A7Cu) & 0xFFFFFFu;
    u ^= u >> 11;
    u = (u * 0x2C1B3Du) & 0xFFFFFFu;
    u ^= u >> 13;
  } while (u >= 10000000u);
  memcpy(out, wmi, 3);
  memcpy(out + 3, vds, 5);
  out[8] = '0';
  out[9] = fc_seed_year_code(model_year);
  out[10] = plants[u / 1000000u];
  snprintf(out + 11, 7, "%06u", u % 1000000u);
  int sum = 0;
  for (int i = 0; i < 17; i++)
    sum += translit(out[i]) * weights[i];
  int check = sum % 11;
  out[8] = check == 10 ? 'X' : (char)('0' + check);
  out[17] = 0;
}

/* --- number plates */

static char letter(fc_seed_rng *r, const char *from) {
  return from[fc_seed_below(r, (uint32_t)strlen(from))];
}
static char digit(fc_seed_rng *r) { return (char)('0' + fc_seed_below(r, 10)); }

/* Expands a pattern: L letter, C consonant, D digit, N digit 1-9, anything else as is. */
static void pattern(fc_seed_rng *r, const char *p, const char *letters, char *out, size_t cap) {
  size_t o = 0;
  for (; *p && o + 1 < cap; p++) {
    char c = *p;
    if (c == 'L')
      c = letter(r, letters);
    else if (c == 'C')
      c = letter(r, "BCDFGHJKLMNPRSTVWXYZ");
    else if (c == 'D')
      c = digit(r);
    else if (c == 'N')
      c = (char)('1' + fc_seed_below(r, 9));
    out[o++] = c;
  }
  out[o] = 0;
}

void fc_seed_plate(fc_seed_rng *r, const char *cc, const fc_seed_city *city, char *out, size_t cap) {
  static const char *const nl[] = {"DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L"};
  static const char *const de_codes[] = {"B", "HH", "M", "K", "F", "S", "D", "BN", "KA", "WÜ", "LÖ", "GÖ"};
  const char *az = "ABCDEFGHJKLMNPRSTVWXYZ";
  char tail[16];
  if (!strcmp(cc, "FR"))
    pattern(r, "LL-DDD-LL", az, out, cap);
  else if (!strcmp(cc, "BE"))
    pattern(r, "N-LLL-DDD", az, out, cap);
  else if (!strcmp(cc, "NL"))
    pattern(r, nl[fc_seed_below(r, 5)], "BDFGHJKLNPRSTVXZ", out, cap);
  else if (!strcmp(cc, "LU"))
    pattern(r, "LL DDDD", az, out, cap);
  else if (!strcmp(cc, "DE") || !strcmp(cc, "AT")) {
    const char *code = city && city->plate && fc_seed_chance(r, 0.8) ? city->plate
                       : !strcmp(cc, "DE")                           ? de_codes[fc_seed_below(r, 12)]
                                                                     : "W";
    pattern(r, fc_seed_chance(r, 0.5) ? "LL NDDD" : "L NDD", az, tail, sizeof tail);
    snprintf(out, cap, "%s-%s", code, tail);
  } else if (!strcmp(cc, "CH")) {
    pattern(r, "NDDDDD", az, tail, sizeof tail);
    snprintf(out, cap, "%s %s", city && city->plate ? city->plate : "ZH", tail);
  } else if (!strcmp(cc, "IT"))
    pattern(r, "LL DDD LL", az, out, cap);
  else if (!strcmp(cc, "ES"))
    pattern(r, "DDDD CCC", az, out, cap);
  else if (!strcmp(cc, "PL"))
    pattern(r, fc_seed_chance(r, 0.5) ? "WA DDDDD" : "KR DDDDL", az, out, cap);
  else if (!strcmp(cc, "SE"))
    pattern(r, "LLL DDD", az, out, cap);
  else if (!strcmp(cc, "DK"))
    pattern(r, "LL DD DDD", az, out, cap);
  else if (!strcmp(cc, "NO"))
    pattern(r, "LL DDDDD", az, out, cap);
  else if (!strcmp(cc, "FI"))
    pattern(r, "LLL-DDD", az, out, cap);
  else if (!strcmp(cc, "CA"))
    pattern(r, fc_seed_chance(r, 0.5) ? "LDD LLL" : "DDD LLL", az, out, cap);
  else
    pattern(r, "LL-DDD-LL", az, out, cap);
}

/* --- phone numbers: a plausible mobile or landline of each country */

typedef struct phone_plan {
  const char *cc, *code;
  const char *national[3]; /* as typed at home */
  const char *intl;        /* as typed from abroad, after "+code " */
} phone_plan;

static const phone_plan plans[] = {
    {"FR", "33", {"06 DD DD DD DD", "07 DD DD DD DD", "0N DD DD DD DD"}, "6 DD DD DD DD"},
    {"BE", "32", {"047D DD DD DD", "049D DD DD DD", "02 DDD DD DD"}, "47D DD DD DD"},
    {"NL", "31", {"06-DDDDDDDD", "06 DDDD DDDD", "020 DDD DDDD"}, "6 DDDDDDDD"},
    {"LU", "352", {"621 DDD DDD", "691 DDD DDD", "26 DD DD DD"}, "621 DDD DDD"},
    {"DE", "49", {"0151 DDDDDDDD", "0171 DDDDDDD", "030 DDDDDDDD"}, "160 DDDDDDD"},
    {"AT", "43", {"0664 DDDDDDD", "0676 DDDDDDD", "01 DDDDDDD"}, "664 DDDDDDD"},
    {"CH", "41", {"079 DDD DD DD", "076 DDD DD DD", "044 DDD DD DD"}, "78 DDD DD DD"},
    {"IT", "39", {"333 DDD DDDD", "347 DDD DDDD", "06 DDDD DDDD"}, "340 DDD DDDD"},
    {"ES", "34", {"6DD DD DD DD", "6DD DDD DDD", "91D DD DD DD"}, "6DD DD DD DD"},
    {"PL", "48", {"5DD DDD DDD", "6DD DDD DDD", "7DD DDD DDD"}, "5DD DDD DDD"},
    {"SE", "46", {"070-DDD DD DD", "073-DDD DD DD", "08-DDD DD DD"}, "70 DDD DD DD"},
    {"DK", "45", {"2D DD DD DD", "4D DD DD DD", "3D DD DD DD"}, "2D DD DD DD"},
    {"NO", "47", {"4DD DD DDD", "9DD DD DDD", "4DD DD DDD"}, "9DD DD DDD"},
    {"FI", "358", {"040 DDD DDDD", "050 DDD DDDD", "044 DDD DDDD"}, "40 DDD DDDD"},
    {"CA", "1", {"(514) NDD-DDDD", "514-NDD-DDDD", "(450) NDD-DDDD"}, "514 NDD DDDD"},
};

void fc_seed_phone(fc_seed_rng *r, const char *cc, int international, char *out, size_t cap) {
  const phone_plan *p = &plans[0];
  for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++)
    if (!strcmp(plans[i].cc, cc)) p = &plans[i];
  char num[40];
  if (international) {
    pattern(r, p->intl, "", num, sizeof num);
    snprintf(out, cap, "+%s %s", p->code, num);
  } else {
    pattern(r, p->national[fc_seed_below(r, 3)], "", out, cap);
  }
}

/* --- ASCII */

void fc_seed_ascii(const char *s, char sep, char *out, size_t cap) {
  char *f = fc_fold(s);
  size_t o = 0;
  int pending = 0;
  for (const unsigned char *p = (const unsigned char *)(f ? f : ""); *p && o + 3 < cap; p++) {
    const char *t = NULL;
    if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
      if (pending && o > 0 && sep) out[o++] = sep;
      pending = 0;
      out[o++] = (char)*p;
      continue;
    }
    if (*p < 0x80) { /* space, dash, apostrophe, dot: a separator */
      pending = 1;
      continue;
    }
    /* Letters folding keeps (they have no decomposition): ø, æ, ł, đ, ß, þ. */
    if (!strncmp((const char *)p, "ø", 2))
      t = "o";
    else if (!strncmp((const char *)p, "æ", 2))
      t = "ae";
    else if (!strncmp((const char *)p, "ł", 2))
      t = "l";
    else if (!strncmp((const char *)p, "đ", 2))
      t = "d";
    else if (!strncmp((const char *)p, "þ", 2))
      t = "th";
    if (t) {
      if (pending && o > 0 && sep) out[o++] = sep;
      pending = 0;
      for (; *t && o + 1 < cap; t++)
        out[o++] = *t;
    }
    while ((p[1] & 0xC0) == 0x80)
      p++; /* the rest of the character */
  }
  out[o] = 0;
  free(f);
}
