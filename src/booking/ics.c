#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>
#include "booking/ics.h"

static struct icaltimetype utc_time(int64_t ms) {
  /* The UTC zone needs no expansion of zone data: safe on any thread. */
  return icaltime_from_timet_with_zone((time_t)(ms / 1000), 0, icaltimezone_get_utc_timezone());
}

char *fc_ics_render(const fc_ics_event *e) {
  icalcomponent *ev = icalcomponent_new(ICAL_VEVENT_COMPONENT);
  icalcomponent *cal = icalcomponent_new(ICAL_VCALENDAR_COMPONENT);
  if (!ev || !cal) {
    if (ev) icalcomponent_free(ev);
    if (cal) icalcomponent_free(cal);
    return NULL;
  }
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Forecourt//Service booking//EN"));
  icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(cal, icalproperty_new_method(e->cancelled ? ICAL_METHOD_CANCEL : ICAL_METHOD_PUBLISH));
  icalcomponent_add_property(ev, icalproperty_new_uid(e->uid));
  icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(e->stamp_ms)));
  icalcomponent_add_property(ev, icalproperty_new_dtstart(utc_time(e->start_ms)));
  icalcomponent_add_property(ev, icalproperty_new_dtend(utc_time(e->end_ms)));
  icalcomponent_add_property(ev, icalproperty_new_sequence(e->sequence));
  icalcomponent_add_property(ev, icalproperty_new_summary(e->summary ? e->summary : "Service appointment"));
  if (e->location && *e->location) icalcomponent_add_property(ev, icalproperty_new_location(e->location));
  if (e->description && *e->description) icalcomponent_add_property(ev, icalproperty_new_description(e->description));
  icalcomponent_add_property(ev, icalproperty_new_status(e->cancelled ? ICAL_STATUS_CANCELLED : ICAL_STATUS_CONFIRMED));
  icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
  icalcomponent_add_component(cal, ev);
  char *text = icalcomponent_as_ical_string_r(cal); /* folded lines, CRLF endings */
  icalcomponent_free(cal);
  if (!text) return NULL;
  char *out = strdup(text);
  icalmemory_free_buffer(text);
  return out;
}
