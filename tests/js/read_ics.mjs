// Reads calendar files the way Thunderbird does (ical.js) and prints what it understood as
// JSON: for each file its METHOD and each event's UID, SEQUENCE, STATUS and UTC start/end.
// The VTIMEZONEs of the file itself are registered, so their rules (not a built-in zone
// database) decide the local times.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const out = [];
for (const path of process.argv.slice(2)) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const events = root.getAllSubcomponents("vevent").map((ve) => {
    const ev = new ICAL.Event(ve);
    return {
      uid: ev.uid,
      sequence: ev.sequence,
      status: ve.getFirstPropertyValue("status"),
      summary: ev.summary,
      location: ev.location,
      start: ev.startDate.toJSDate().toISOString(),
      end: ev.endDate.toJSDate().toISOString(),
      attendee_partstat: (ve.getFirstProperty("attendee") || { getParameter: () => null })
        .getParameter("partstat"),
    };
  });
  out.push({ method: root.getFirstPropertyValue("method"), events });
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.remove(tz.getFirstPropertyValue("tzid"));
  }
}
process.stdout.write(JSON.stringify(out));
