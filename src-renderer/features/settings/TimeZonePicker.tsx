import { useId, useMemo, useState } from 'react';
import { filterTimeZones, listTimeZones } from './time-zones';

/** A filter box over a listbox of IANA zones; the list has 400+ entries, typing narrows it. */
export function TimeZonePicker({
  value,
  onChange,
}: {
  value: string;
  onChange: (zone: string) => void;
}) {
  const [filter, setFilter] = useState('');
  const zones = listTimeZones();
  const matching = useMemo(() => filterTimeZones(zones, filter), [zones, filter]);
  // The chosen zone stays listed so the listbox always shows what will be saved.
  const options = matching.some((zone) => zone.id === value)
    ? matching
    : [
        zones.find((zone) => zone.id === value) ?? { id: value, offset: '', alsoKnownAs: null },
        ...matching,
      ];
  const listId = useId();

  return (
    <div className="tz-picker">
      <input
        type="search"
        className="tz-picker__filter"
        data-testid="timezone-filter"
        placeholder="Filter: city, region or GMT+1"
        aria-controls={listId}
        aria-label="Filter time zones"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <select
        id={listId}
        className="tz-picker__list"
        data-testid="timezone-select"
        aria-label="Station time zone"
        size={9}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      >
        {options.map((zone) => (
          <option key={zone.id} value={zone.id}>
            {zone.id.replaceAll('_', ' ')}
            {zone.offset ? `  —  ${zone.offset}` : ''}
          </option>
        ))}
      </select>
      <p className="field__hint">
        {matching.length} of {zones.length} zones
      </p>
    </div>
  );
}
