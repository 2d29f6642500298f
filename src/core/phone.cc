// libphonenumber behind the C interface of core/phone.h.
//
// PhoneNumberUtil is a process-wide singleton whose methods are const and
// safe to call from many threads once it exists. Its logger is not: we mute it
// (parse failures are ordinary input errors here, not something for stderr)
// exactly once, under std::call_once, before any thread uses the instance.
// The singleton is deliberately never destroyed by the library; it stays
// reachable through a static pointer, so leak checkers do not report it.
// No exception may cross into C: every entry point catches everything.
#include "core/phone.h"

#include <phonenumbers/logger.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <list>
#include <mutex>
#include <string>

namespace pn = i18n::phonenumbers;

namespace {

constexpr size_t kMaxInput = 64;

const pn::PhoneNumberUtil &util() {
  static std::once_flag once;
  static pn::PhoneNumberUtil *instance = nullptr;
  std::call_once(once, [] {
    pn::PhoneNumberUtil *u = pn::PhoneNumberUtil::GetInstance();
    u->SetLogger(new pn::NullLogger()); // the utility takes ownership
    instance = u;
  });
  return *instance;
}

// Copies a region argument into region as upper case ("ZZ" when absent).
// Returns false when it has another shape than two ASCII letters.
bool region_arg(const char *r, std::string *region) {
  if (!r || !*r) {
    *region = "ZZ"; // libphonenumber's "unknown region": needs a +country code
    return true;
  }
  if (std::strlen(r) != 2) return false;
  region->clear();
  for (int i = 0; i < 2; i++) {
    char c = r[i];
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') return false;
    region->push_back(c);
  }
  return true;
}

int e164(const char *input, const char *default_region, char out[FC_PHONE_MAX]) {
  if (!input || !*input || strnlen(input, kMaxInput + 1) > kMaxInput) return -1;
  std::string region;
  if (!region_arg(default_region, &region)) return -1;
  const pn::PhoneNumberUtil &u = util();
  pn::PhoneNumber number;
  if (u.Parse(input, region, &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR) return -1;
  // IsPossibleNumber also accepts IS_POSSIBLE_LOCAL_ONLY: "555-0123" in the
  // US would become "+15550123", which nobody can dial. Only a complete
  // national number is kept.
  if (u.IsPossibleNumberWithReason(number) != pn::PhoneNumberUtil::IS_POSSIBLE) return -1;
  std::string formatted;
  u.Format(number, pn::PhoneNumberUtil::E164, &formatted);
  if (formatted.empty() || formatted.size() >= FC_PHONE_MAX) return -1;
  std::memcpy(out, formatted.c_str(), formatted.size() + 1);
  return 0;
}

void region_of(const char *number_e164, char out[3]) {
  if (!number_e164 || strnlen(number_e164, kMaxInput + 1) > kMaxInput) return;
  const pn::PhoneNumberUtil &u = util();
  pn::PhoneNumber number;
  if (u.Parse(number_e164, "ZZ", &number) != pn::PhoneNumberUtil::NO_PARSING_ERROR) return;
  std::string region;
  u.GetRegionCodeForNumber(number, &region);
  if (region == "ZZ") {
    // Only valid numbers get a region from their digits. A possible but
    // invalid one (a range newer than the metadata, a fictional number) still
    // belongs to its country code's region when that code has only one.
    std::list<std::string> regions;
    u.GetRegionCodesForCountryCallingCode(number.country_code(), &regions);
    if (regions.size() == 1) region = regions.front();
  }
  // "ZZ" is unknown; "001" (non-geographic) does not fit and has no region.
  if (region.size() != 2 || region == "ZZ") return;
  std::memcpy(out, region.c_str(), 3);
}

} // namespace

extern "C" int fc_phone_e164(const char *input, const char *default_region, char out[FC_PHONE_MAX]) {
  out[0] = 0;
  try {
    return e164(input, default_region, out);
  } catch (...) {
    out[0] = 0;
    return -1;
  }
}

extern "C" void fc_phone_region(const char *e164_number, char out[3]) {
  out[0] = 0;
  try {
    region_of(e164_number, out);
  } catch (...) {
    out[0] = 0;
  }
}
