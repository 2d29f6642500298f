#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "core/validate.h"

int fc_valid_slug(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 63) return 0;
  if (!islower((unsigned char)s[0]) && !isdigit((unsigned char)s[0])) return 0;
  for (size_t i = 0; i < n; i++)
    if (!(s[i] >= 'a' && s[i] <= 'z') && !(s[i] >= '0' && s[i] <= '9') && s[i] != '-') return 0;
  return 1;
}

int fc_valid_locale(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n != 2 && n != 3 && n != 5) return 0;
  size_t lang = n == 3 ? 3 : 2;
  for (size_t i = 0; i < lang; i++)
    if (s[i] < 'a' || s[i] > 'z') return 0;
  if (n == 5) return s[2] == '-' && s[3] >= 'A' && s[3] <= 'Z' && s[4] >= 'A' && s[4] <= 'Z';
  return 1;
}

int fc_valid_timezone(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 1 || n > 64 || s[0] == '/' || strstr(s, "..")) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isalnum((unsigned char)s[i]) && !strchr("/_+-", s[i])) return 0;
  if (strcmp(s, "UTC") == 0) return 1;
  char path[128];
  snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", s);
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int fc_valid_email(const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (n < 3 || n > 254) return 0;
  const char *at = strchr(s, '@');
  if (!at || at == s || strchr(at + 1, '@')) return 0;
  const char *dot = strrchr(at, '.');
  if (!dot || dot == at + 1 || !dot[1]) return 0;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f || s[i] == ',' || s[i] == ';' || s[i] == '<' ||
        s[i] == '>')
      return 0;
  return 1;
}

void fc_email_fold(const char *s, char *out, size_t cap) {
  size_t i = 0;
  for (; s[i] && i + 1 < cap; i++) out[i] = (char)tolower((unsigned char)s[i]);
  out[i] = 0;
}

int fc_valid_country(const char *s) {
  return s && strlen(s) == 2 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]);
}

/* Looks zone up in zone.tab; returns 1 and fills out when found. */
static int zone_tab_country(const char *zone, char out[3]) {
  FILE *f = fopen("/usr/share/zoneinfo/zone.tab", "r");
  if (!f) return 0;
  char line[512], cc[8], coord[64], name[128];
  int found = 0;
  while (!found && fgets(line, sizeof line, f)) {
    if (line[0] == '#') continue;
    if (sscanf(line, "%7s %63s %127s", cc, coord, name) == 3 && strcmp(name, zone) == 0 && strlen(cc) == 2) {
      memcpy(out, cc, 3);
      found = 1;
    }
  }
  fclose(f);
  return found;
}

void fc_tz_country(const char *zone, char out[3]) {
  out[0] = 0;
  if (!fc_valid_timezone(zone) || zone_tab_country(zone, out)) return;
  FILE *f = fopen("/usr/share/zoneinfo/tzdata.zi", "r");
  if (!f) return;
  char line[512], kind[4], target[128], name[128];
  while (fgets(line, sizeof line, f)) {
    if (line[0] != 'L') continue;
    if (sscanf(line, "%3s %127s %127s", kind, target, name) == 3 && strcmp(name, zone) == 0) {
      zone_tab_country(target, out);
      break;
    }
  }
  fclose(f);
}
