/* The manufacturer table (WMI, the first three characters of a VIN) and the
 * country ranges of ISO 3780 / SAE J1044.
 *
 * Design: two sorted const arrays searched with bsearch, one for the exact
 * 3-character WMIs and one for the 2-character prefixes a single maker owns
 * (a fallback when the exact WMI is not listed). Entries come from the public
 * WMI lists (SAE's allocations as republished by Wikipedia/Wikibooks and the
 * NHTSA vPIC catalogue); only codes in wide use and with a well-known owner
 * are listed. Names are the brand a dealer would show, not the legal entity,
 * except for joint ventures building several brands.
 *
 * To extend: insert the entry at its place in ASCII order (digits before
 * letters) — the unit test fails when the order is broken. */
#include <stdlib.h>
#include <string.h>

#include "vehicles/vin.h"

typedef struct {
  char code[4];
  const char *name;
} wmi_entry;

static const wmi_entry wmi3[] = {
    {"19U", "Acura"},
    {"19V", "Acura"},
    {"19X", "Honda"},
    {"1B3", "Dodge"},
    {"1B4", "Dodge"},
    {"1B7", "Dodge"},
    {"1C3", "Chrysler"},
    {"1C4", "Chrysler"},
    {"1C6", "Ram"},
    {"1D3", "Dodge"},
    {"1D4", "Dodge"},
    {"1D7", "Dodge"},
    {"1D8", "Dodge"},
    {"1FA", "Ford"},
    {"1FB", "Ford"},
    {"1FC", "Ford"},
    {"1FD", "Ford"},
    {"1FM", "Ford"},
    {"1FT", "Ford"},
    {"1FU", "Freightliner"},
    {"1FV", "Freightliner"},
    {"1G1", "Chevrolet"},
    {"1G2", "Pontiac"},
    {"1G3", "Oldsmobile"},
    {"1G4", "Buick"},
    {"1G6", "Cadillac"},
    {"1G8", "Saturn"},
    {"1GB", "Chevrolet"},
    {"1GC", "Chevrolet"},
    {"1GD", "GMC"},
    {"1GH", "Oldsmobile"},
    {"1GK", "GMC"},
    {"1GM", "Pontiac"},
    {"1GN", "Chevrolet"},
    {"1GT", "GMC"},
    {"1GY", "Cadillac"},
    {"1HD", "Harley-Davidson"},
    {"1HG", "Honda"},
    {"1HT", "International"},
    {"1J4", "Jeep"},
    {"1J8", "Jeep"},
    {"1JC", "Jeep"},
    {"1L1", "Lincoln"},
    {"1LN", "Lincoln"},
    {"1M1", "Mack"},
    {"1M2", "Mack"},
    {"1M8", "Motor Coach Industries"},
    {"1ME", "Mercury"},
    {"1N4", "Nissan"},
    {"1N6", "Nissan"},
    {"1NK", "Kenworth"},
    {"1NP", "Peterbilt"},
    {"1NX", "Toyota"},
    {"1P3", "Plymouth"},
    {"1P4", "Plymouth"},
    {"1VW", "Volkswagen"},
    {"1XK", "Kenworth"},
    {"1XP", "Peterbilt"},
    {"1YV", "Mazda"},
    {"1ZV", "Ford"},
    {"2A4", "Chrysler"},
    {"2A8", "Chrysler"},
    {"2B3", "Dodge"},
    {"2B4", "Dodge"},
    {"2B7", "Dodge"},
    {"2C3", "Chrysler"},
    {"2C4", "Chrysler"},
    {"2CK", "Pontiac"},
    {"2D4", "Dodge"},
    {"2FA", "Ford"},
    {"2FM", "Ford"},
    {"2FT", "Ford"},
    {"2FU", "Freightliner"},
    {"2FV", "Freightliner"},
    {"2FZ", "Sterling"},
    {"2G1", "Chevrolet"},
    {"2G2", "Pontiac"},
    {"2G3", "Oldsmobile"},
    {"2G4", "Buick"},
    {"2GC", "Chevrolet"},
    {"2GK", "GMC"},
    {"2GN", "Chevrolet"},
    {"2GT", "GMC"},
    {"2HG", "Honda"},
    {"2HH", "Acura"},
    {"2HK", "Honda"},
    {"2HN", "Acura"},
    {"2LM", "Lincoln"},
    {"2ME", "Mercury"},
    {"2P4", "Plymouth"},
    {"2S3", "Suzuki"},
    {"2T1", "Toyota"},
    {"2T2", "Lexus"},
    {"2T3", "Toyota"},
    {"2V4", "Volkswagen"},
    {"3A8", "Chrysler"},
    {"3C4", "Chrysler"},
    {"3C6", "Ram"},
    {"3CZ", "Honda"},
    {"3D4", "Dodge"},
    {"3D7", "Dodge"},
    {"3FA", "Ford"},
    {"3FM", "Ford"},
    {"3G1", "Chevrolet"},
    {"3GC", "Chevrolet"},
    {"3GK", "GMC"},
    {"3GN", "Chevrolet"},
    {"3GT", "GMC"},
    {"3GY", "Cadillac"},
    {"3HG", "Honda"},
    {"3KP", "Kia"},
    {"3LN", "Lincoln"},
    {"3ME", "Mercury"},
    {"3MV", "Mazda"},
    {"3MW", "BMW"},
    {"3MY", "Mazda"},
    {"3MZ", "Mazda"},
    {"3N1", "Nissan"},
    {"3N6", "Nissan"},
    {"3PC", "Infiniti"},
    {"3TM", "Toyota"},
    {"3VV", "Volkswagen"},
    {"3VW", "Volkswagen"},
    {"4A3", "Mitsubishi"},
    {"4A4", "Mitsubishi"},
    {"4F2", "Mazda"},
    {"4F4", "Mazda"},
    {"4JG", "Mercedes-Benz"},
    {"4M2", "Mercury"},
    {"4N2", "Nissan"},
    {"4S2", "Isuzu"},
    {"4S3", "Subaru"},
    {"4S4", "Subaru"},
    {"4T1", "Toyota"},
    {"4T3", "Toyota"},
    {"4T4", "Toyota"},
    {"4TA", "Toyota"},
    {"4US", "BMW"},
    {"4V4", "Volvo Trucks"},
    {"50E", "Lucid"},
    {"5FN", "Honda"},
    {"5GA", "Buick"},
    {"5GR", "Hummer"},
    {"5GT", "Hummer"},
    {"5GZ", "Saturn"},
    {"5J6", "Honda"},
    {"5J8", "Acura"},
    {"5LM", "Lincoln"},
    {"5N1", "Nissan"},
    {"5N3", "Infiniti"},
    {"5NM", "Hyundai"},
    {"5NP", "Hyundai"},
    {"5TB", "Toyota"},
    {"5TD", "Toyota"},
    {"5TE", "Toyota"},
    {"5TF", "Toyota"},
    {"5UX", "BMW"},
    {"5XX", "Kia"},
    {"5XY", "Kia"},
    {"5YF", "Toyota"},
    {"5YJ", "Tesla"},
    {"5YM", "BMW"},
    {"6FP", "Ford"},
    {"6G1", "Holden"},
    {"6H8", "Holden"},
    {"6MM", "Mitsubishi"},
    {"6T1", "Toyota"},
    {"7FC", "Rivian"},
    {"7SA", "Tesla"},
    {"8A1", "Renault"},
    {"8AD", "Peugeot"},
    {"8AF", "Ford"},
    {"8AG", "Chevrolet"},
    {"8AJ", "Toyota"},
    {"8AP", "Fiat"},
    {"8AW", "Volkswagen"},
    {"93H", "Honda"},
    {"93Y", "Renault"},
    {"9BD", "Fiat"},
    {"9BF", "Ford"},
    {"9BG", "Chevrolet"},
    {"9BM", "Mercedes-Benz"},
    {"9BR", "Toyota"},
    {"9BS", "Scania"},
    {"9BW", "Volkswagen"},
    {"9FB", "Renault"},
    {"AAV", "Volkswagen"},
    {"ADM", "General Motors"},
    {"AFA", "Ford"},
    {"AHT", "Toyota"},
    {"JA3", "Mitsubishi"},
    {"JA4", "Mitsubishi"},
    {"JAA", "Isuzu"},
    {"JAC", "Isuzu"},
    {"JF1", "Subaru"},
    {"JF2", "Subaru"},
    {"JH2", "Honda"},
    {"JH4", "Acura"},
    {"JHL", "Honda"},
    {"JHM", "Honda"},
    {"JKA", "Kawasaki"},
    {"JM1", "Mazda"},
    {"JM3", "Mazda"},
    {"JMB", "Mitsubishi"},
    {"JMZ", "Mazda"},
    {"JN1", "Nissan"},
    {"JN8", "Nissan"},
    {"JNK", "Infiniti"},
    {"JNR", "Infiniti"},
    {"JS1", "Suzuki"},
    {"JS2", "Suzuki"},
    {"JS3", "Suzuki"},
    {"JSA", "Suzuki"},
    {"JT2", "Toyota"},
    {"JT3", "Toyota"},
    {"JT4", "Toyota"},
    {"JT6", "Lexus"},
    {"JT8", "Lexus"},
    {"JTD", "Toyota"},
    {"JTE", "Toyota"},
    {"JTH", "Lexus"},
    {"JTJ", "Lexus"},
    {"JTK", "Toyota"},
    {"JTL", "Toyota"},
    {"JTM", "Toyota"},
    {"JTN", "Toyota"},
    {"JYA", "Yamaha"},
    {"KL1", "Chevrolet"},
    {"KL4", "Buick"},
    {"KL7", "Chevrolet"},
    {"KL8", "Chevrolet"},
    {"KLA", "Daewoo"},
    {"KM8", "Hyundai"},
    {"KMF", "Hyundai"},
    {"KMH", "Hyundai"},
    {"KMT", "Genesis"},
    {"KNA", "Kia"},
    {"KND", "Kia"},
    {"KNM", "Renault Samsung"},
    {"KPT", "SsangYong"},
    {"LBE", "Hyundai"},
    {"LBV", "BMW Brilliance"},
    {"LC0", "BYD"},
    {"LDC", "Dongfeng Peugeot-Citroën"},
    {"LE4", "Beijing Benz"},
    {"LFV", "FAW-Volkswagen"},
    {"LGB", "Nissan"},
    {"LGW", "Great Wall"},
    {"LGX", "BYD"},
    {"LHG", "Honda"},
    {"LJD", "Kia"},
    {"LPA", "DS Automobiles"},
    {"LPS", "Polestar"},
    {"LRB", "Buick"},
    {"LRW", "Tesla"},
    {"LSG", "SAIC-GM"},
    {"LSJ", "MG"},
    {"LSV", "SAIC Volkswagen"},
    {"LTV", "Toyota"},
    {"LVG", "Toyota"},
    {"LVH", "Honda"},
    {"LVS", "Ford"},
    {"LVV", "Chery"},
    {"LYV", "Volvo"},
    {"LZW", "SAIC-GM-Wuling"},
    {"MA1", "Mahindra"},
    {"MA3", "Maruti Suzuki"},
    {"MAJ", "Ford"},
    {"MAL", "Hyundai"},
    {"MAT", "Tata"},
    {"MBH", "Maruti Suzuki"},
    {"MHR", "Honda"},
    {"MM8", "Mazda"},
    {"MMB", "Mitsubishi"},
    {"MNB", "Ford"},
    {"MNT", "Nissan"},
    {"MPA", "Isuzu"},
    {"MR0", "Toyota"},
    {"MRH", "Honda"},
    {"NLH", "Hyundai"},
    {"NM0", "Ford"},
    {"NMT", "Toyota"},
    {"PL1", "Proton"},
    {"SAD", "Jaguar"},
    {"SAJ", "Jaguar"},
    {"SAL", "Land Rover"},
    {"SAR", "Rover"},
    {"SB1", "Toyota"},
    {"SBM", "McLaren"},
    {"SCA", "Rolls-Royce"},
    {"SCB", "Bentley"},
    {"SCC", "Lotus"},
    {"SCE", "DeLorean"},
    {"SCF", "Aston Martin"},
    {"SFA", "Ford"},
    {"SHH", "Honda"},
    {"SHS", "Honda"},
    {"SJK", "Infiniti"},
    {"SJN", "Nissan"},
    {"SMT", "Triumph"},
    {"TMA", "Hyundai"},
    {"TMB", "Škoda"},
    {"TRU", "Audi"},
    {"TSM", "Suzuki"},
    {"U5Y", "Kia"},
    {"U6Y", "Kia"},
    {"UU1", "Dacia"},
    {"VBK", "KTM"},
    {"VF1", "Renault"},
    {"VF3", "Peugeot"},
    {"VF6", "Renault Trucks"},
    {"VF7", "Citroën"},
    {"VF9", "Bugatti"},
    {"VNK", "Toyota"},
    {"VR1", "DS Automobiles"},
    {"VR3", "Peugeot"},
    {"VR7", "Citroën"},
    {"VS6", "Ford"},
    {"VS7", "Citroën"},
    {"VSK", "Nissan"},
    {"VSS", "SEAT"},
    {"VWV", "Volkswagen"},
    {"W04", "Buick"},
    {"W06", "Cadillac"},
    {"W08", "Saturn"},
    {"W0L", "Opel"},
    {"W0V", "Opel"},
    {"W1K", "Mercedes-Benz"},
    {"W1N", "Mercedes-Benz"},
    {"W1V", "Mercedes-Benz"},
    {"WA1", "Audi"},
    {"WAP", "Alpina"},
    {"WAU", "Audi"},
    {"WB1", "BMW"},
    {"WBA", "BMW"},
    {"WBS", "BMW"},
    {"WBX", "BMW"},
    {"WBY", "BMW"},
    {"WDB", "Mercedes-Benz"},
    {"WDC", "Mercedes-Benz"},
    {"WDD", "Mercedes-Benz"},
    {"WDF", "Mercedes-Benz"},
    {"WF0", "Ford"},
    {"WKK", "Setra"},
    {"WMA", "MAN"},
    {"WME", "smart"},
    {"WMW", "MINI"},
    {"WP0", "Porsche"},
    {"WP1", "Porsche"},
    {"WUA", "Audi"},
    {"WV1", "Volkswagen"},
    {"WV2", "Volkswagen"},
    {"WV3", "Volkswagen"},
    {"WVG", "Volkswagen"},
    {"WVW", "Volkswagen"},
    {"X4X", "BMW"},
    {"X7L", "Renault"},
    {"XL9", "Spyker"},
    {"XLR", "DAF"},
    {"XMC", "Mitsubishi"},
    {"XTA", "Lada"},
    {"XTC", "KAMAZ"},
    {"XTH", "GAZ"},
    {"XTT", "UAZ"},
    {"XW8", "Volkswagen"},
    {"YE2", "Van Hool"},
    {"YK1", "Saab"},
    {"YS2", "Scania"},
    {"YS3", "Saab"},
    {"YS4", "Scania"},
    {"YV1", "Volvo"},
    {"YV2", "Volvo Trucks"},
    {"YV3", "Volvo Buses"},
    {"YV4", "Volvo"},
    {"ZAC", "Jeep"},
    {"ZAM", "Maserati"},
    {"ZAP", "Piaggio"},
    {"ZAR", "Alfa Romeo"},
    {"ZCF", "Iveco"},
    {"ZD4", "Aprilia"},
    {"ZDM", "Ducati"},
    {"ZFA", "Fiat"},
    {"ZFF", "Ferrari"},
    {"ZGU", "Moto Guzzi"},
    {"ZHW", "Lamborghini"},
    {"ZLA", "Lancia"},
    {"ZN6", "Maserati"},
};

/* Prefixes wholly allocated to one maker; the exact entries above win. */
static const wmi_entry wmi2[] = {
    {"1F", "Ford"},       {"1G", "General Motors"}, {"2G", "General Motors"},
    {"3F", "Ford"},       {"3G", "General Motors"}, {"JF", "Subaru"},
    {"JK", "Kawasaki"},   {"JN", "Nissan"},         {"JS", "Suzuki"},
    {"JT", "Toyota"},     {"JY", "Yamaha"},         {"KM", "Hyundai"},
    {"KN", "Kia"},        {"KP", "SsangYong"},      {"W1", "Mercedes-Benz"},
    {"WV", "Volkswagen"}, {"YV", "Volvo"},
};

enum { N_WMI3 = sizeof wmi3 / sizeof wmi3[0], N_WMI2 = sizeof wmi2 / sizeof wmi2[0] };

/* Country ranges over the second character, in the order VIN ranges use:
 * A..Z, then 1..9, then 0 (see rank()). region overrides the region of the
 * first character where a range has been re-allocated; NULL keeps it. Where
 * the 1980s ISO 3780 table and SAE's current one disagree, only the part both
 * agree on is listed. */
typedef struct {
  char first, lo, hi;
  const char *country;
  const char *region;
} country_range;

static const country_range countries[] = {
    {'A', 'A', 'H', "South Africa", NULL},   {'J', 'A', '0', "Japan", NULL},
    {'K', 'L', 'R', "South Korea", NULL},    {'L', 'A', '0', "China", NULL},
    {'M', 'A', 'E', "India", NULL},          {'M', 'F', 'K', "Indonesia", NULL},
    {'M', 'L', 'R', "Thailand", NULL},       {'N', 'A', 'E', "Iran", NULL},
    {'N', 'F', 'G', "Pakistan", NULL},       {'N', 'L', 'R', "Turkey", NULL},
    {'P', 'A', 'C', "Philippines", NULL},    {'P', 'F', 'G', "Singapore", NULL},
    {'P', 'L', 'R', "Malaysia", NULL},       {'R', 'A', 'B', "United Arab Emirates", NULL},
    {'R', 'F', 'K', "Taiwan", NULL},         {'R', 'L', 'N', "Vietnam", NULL},
    {'R', 'S', 'T', "Saudi Arabia", NULL},   {'S', 'A', 'M', "United Kingdom", NULL},
    {'S', 'N', 'T', "Germany", NULL},        {'S', 'U', 'Z', "Poland", NULL},
    {'S', '1', '2', "Latvia", NULL},         {'T', 'A', 'H', "Switzerland", NULL},
    {'T', 'J', 'P', "Czech Republic", NULL}, {'T', 'R', 'V', "Hungary", NULL},
    {'T', 'W', '1', "Portugal", NULL},       {'U', 'H', 'M', "Denmark", NULL},
    {'U', 'N', 'R', "Ireland", NULL},        {'U', 'U', 'W', "Romania", NULL},
    {'U', '5', '7', "Slovakia", NULL},       {'V', 'A', 'E', "Austria", NULL},
    {'V', 'F', 'R', "France", NULL},         {'V', 'S', 'W', "Spain", NULL},
    {'V', 'X', '2', "Serbia", NULL},         {'V', '3', '5', "Croatia", NULL},
    {'V', '6', '8', "Estonia", NULL},        {'W', 'A', '0', "Germany", NULL},
    {'X', 'A', 'C', "Bulgaria", NULL},       {'X', 'F', 'H', "Greece", NULL},
    {'X', 'L', 'R', "Netherlands", NULL},    {'X', 'S', 'W', "Russia", NULL},
    {'X', 'X', 'Y', "Luxembourg", NULL},     {'X', '3', '0', "Russia", NULL},
    {'Y', 'A', 'E', "Belgium", NULL},        {'Y', 'F', 'K', "Finland", NULL},
    {'Y', 'S', 'W', "Sweden", NULL},         {'Y', 'X', '2', "Norway", NULL},
    {'Y', '3', '5', "Belarus", NULL},        {'Y', '6', '8', "Ukraine", NULL},
    {'Z', 'A', 'R', "Italy", NULL},          {'Z', 'X', 'Z', "Slovenia", NULL},
    {'Z', '3', '5', "Lithuania", NULL},      {'Z', '6', '0', "Russia", NULL},
    {'1', 'A', '0', "United States", NULL},  {'2', 'A', '0', "Canada", NULL},
    {'3', 'A', 'W', "Mexico", NULL},         {'4', 'A', '0', "United States", NULL},
    {'5', 'A', '0', "United States", NULL},  {'6', 'A', 'W', "Australia", NULL},
    {'7', 'A', 'E', "New Zealand", NULL},    {'7', 'F', '0', "United States", "North America"},
    {'8', 'A', 'E', "Argentina", NULL},      {'8', 'F', 'G', "Chile", NULL},
    {'8', 'L', 'N', "Ecuador", NULL},        {'8', 'S', 'T', "Peru", NULL},
    {'8', 'X', 'Z', "Venezuela", NULL},      {'9', 'A', 'E', "Brazil", NULL},
    {'9', 'F', 'G', "Colombia", NULL},       {'9', 'S', 'V', "Uruguay", NULL},
    {'9', '3', '9', "Brazil", NULL},
};

/* Position of c in the range order A..Z, 1..9, 0; -1 for anything else. */
static int rank(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= '1' && c <= '9') return 26 + (c - '1');
  if (c == '0') return 35;
  return -1;
}

static int cmp3(const void *key, const void *elem) {
  return strncmp((const char *)key, ((const wmi_entry *)elem)->code, 3);
}

static int cmp2(const void *key, const void *elem) {
  return strncmp((const char *)key, ((const wmi_entry *)elem)->code, 2);
}

const char *fc_vin_manufacturer(const char *wmi) {
  if (!wmi || !wmi[0] || !wmi[1]) return NULL;
  char key[4] = {wmi[0], wmi[1], wmi[2], 0};
  const wmi_entry *e = NULL;
  if (key[2]) e = bsearch(key, wmi3, N_WMI3, sizeof wmi3[0], cmp3);
  if (!e) e = bsearch(key, wmi2, N_WMI2, sizeof wmi2[0], cmp2);
  return e ? e->name : NULL;
}

static const country_range *find_range(const char *prefix) {
  if (!prefix || !prefix[0]) return NULL;
  int r = rank(prefix[1]);
  if (r < 0) return NULL;
  for (size_t i = 0; i < sizeof countries / sizeof countries[0]; i++)
    if (countries[i].first == prefix[0] && r >= rank(countries[i].lo) && r <= rank(countries[i].hi))
      return &countries[i];
  return NULL;
}

const char *fc_vin_country(const char *prefix) {
  const country_range *c = find_range(prefix);
  return c ? c->country : NULL;
}

const char *fc_vin_region(const char *prefix) {
  if (!prefix) return NULL;
  const country_range *c = find_range(prefix);
  if (c && c->region) return c->region;
  char f = prefix[0];
  if (f == 'I' || f == 'O' || f == 'Q') return NULL;
  if (f >= 'A' && f <= 'H') return "Africa";
  if (f >= 'J' && f <= 'R') return "Asia";
  if (f >= 'S' && f <= 'Z') return "Europe";
  if (f >= '1' && f <= '5') return "North America";
  if (f >= '6' && f <= '7') return "Oceania";
  if (f >= '8' && f <= '9') return "South America";
  return NULL;
}

int fc_vin_wmi_at(size_t i, const char **code, const char **manufacturer) {
  const wmi_entry *e = NULL;
  if (i < N_WMI3)
    e = &wmi3[i];
  else if (i - N_WMI3 < N_WMI2)
    e = &wmi2[i - N_WMI3];
  if (!e || !code || !manufacturer) return 0;
  *code = e->code;
  *manufacturer = e->name;
  return 1;
}
