// How a moment is written on screen (renderer/components/when.ts): UTC first, as the journal and the transcript give
// it, with the workstation's local time beside it. The local part follows the process's time zone, so each case sets
// TZ itself (Node reads TZ again whenever it is assigned) and puts it back after.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { utcWithLocal } from '../../../renderer/components';

const MOMENT = '2026-12-07T07:45:09.250Z';

describe('utcWithLocal', () => {
  let saved: string | undefined;
  beforeEach(() => {
    saved = process.env.TZ;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });

  const cases: Array<[zone: string, written: string]> = [
    // the same day: the local time alone beside the UTC date and time
    ['UTC', '2026-12-07 07:45 UTC (07:45 local)'],
    ['Europe/Amsterdam', '2026-12-07 07:45 UTC (08:45 local)'],
    ['Asia/Kolkata', '2026-12-07 07:45 UTC (13:15 local)'],
    // another day locally: the local date is written too
    ['America/New_York', '2026-12-07 07:45 UTC (02:45 local)'],
    ['America/Los_Angeles', '2026-12-07 07:45 UTC (2026-12-06 23:45 local)'],
    ['Pacific/Kiritimati', '2026-12-07 07:45 UTC (21:45 local)'],
  ];
  for (const [zone, written] of cases) {
    it(`writes UTC first and the local time of ${zone} beside it`, () => {
      process.env.TZ = zone;
      expect(utcWithLocal(MOMENT)).toBe(written);
    });
  }

  it('writes the local date when the local day is the next one (east of UTC, late in the UTC day)', () => {
    process.env.TZ = 'Asia/Tokyo';
    expect(utcWithLocal('2026-12-31T22:05:00Z')).toBe('2026-12-31 22:05 UTC (2027-01-01 07:05 local)');
  });

  it('adds the seconds to both when asked, and takes a number or a Date as well as an ISO string', () => {
    process.env.TZ = 'America/New_York';
    const written = '2026-12-07 07:45:09 UTC (02:45:09 local)';
    expect(utcWithLocal(MOMENT, { seconds: true })).toBe(written);
    expect(utcWithLocal(Date.parse(MOMENT), { seconds: true })).toBe(written);
    expect(utcWithLocal(new Date(MOMENT), { seconds: true })).toBe(written);
  });

  it('follows summer time: the same UTC hour is an hour later locally in July than in December', () => {
    process.env.TZ = 'Europe/Amsterdam';
    expect(utcWithLocal('2026-07-01T07:45:00Z')).toBe('2026-07-01 07:45 UTC (09:45 local)');
    expect(utcWithLocal('2026-12-01T07:45:00Z')).toBe('2026-12-01 07:45 UTC (08:45 local)');
  });

  it('gives back what it cannot read as a moment unchanged, rather than "Invalid Date"', () => {
    expect(utcWithLocal('not a time')).toBe('not a time');
  });
});
