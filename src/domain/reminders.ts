/**
 * When to nudge an incident that went quiet. Pure: the clock and the office hours come in.
 */
export interface OfficeHours {
  timeZone: string;
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  days: readonly number[];
  /** "09:00" and "18:00", local to timeZone; start inclusive, end exclusive. */
  start: string;
  end: string;
}

const minutesOf = (hhmm: string) => {
  const [hours, minutes] = hhmm.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};
const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Is `at` inside office hours, in their time zone? */
export function withinOfficeHours(at: Date, hours: OfficeHours): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: hours.timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  const day = weekdays[parts.weekday ?? ''] ?? 0;
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return hours.days.includes(day) && minute >= minutesOf(hours.start) && minute < minutesOf(hours.end);
}

/**
 * The k-th reminder since the last update is due interval × 2^k after the previous reminder (or
 * the update, for the first): 1 h, then 2 h later, then 4 h later… (back-off, not once ever), and
 * only in office hours. Counting from the last reminder sent, not from the update, means the
 * reminders that fell due over a night or a weekend do not all go out at 09:00: one does.
 * Returns the reminder number to send (0 for the first), or undefined.
 */
export function updateReminderDue(input: {
  lastUpdateAt: Date;
  lastReminderAt: Date | null;
  remindersSinceUpdate: number;
  intervalMinutes: number;
  now: Date;
  officeHours: OfficeHours;
}): number | undefined {
  const k = input.remindersSinceUpdate;
  const from = k > 0 && input.lastReminderAt ? input.lastReminderAt : input.lastUpdateAt;
  const quietFor = input.now.getTime() - from.getTime();
  const dueAfter = input.intervalMinutes * 60_000 * 2 ** k;
  if (quietFor < dueAfter) return undefined;
  return withinOfficeHours(input.now, input.officeHours) ? k : undefined;
}

/** Post-mortem reminders: one per window of `everyDays` after mitigation (window 1 = day 5…). */
export function postMortemReminderWindow(
  mitigatedAt: Date,
  now: Date,
  everyDays: number,
): number | undefined {
  const days = (now.getTime() - mitigatedAt.getTime()) / 86_400_000;
  return days >= everyDays ? Math.floor(days / everyDays) : undefined;
}
