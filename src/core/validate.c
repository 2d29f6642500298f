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
