import { useEffect, useRef } from 'react';

/**
 * The calendar's time grid scrolls but cannot take focus, so an empty day could not be scrolled
 * from the keyboard: it becomes a named, focusable region (arrows and Page keys). Put the
 * returned ref on the element around the calendar.
 */
export function useFocusableTimeGrid(label: string) {
  const rootRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const grid = rootRef.current?.querySelector<HTMLElement>('.rbc-time-content');
    if (!grid) return;
    grid.tabIndex = 0;
    grid.setAttribute('role', 'region');
    grid.setAttribute('aria-label', label);
  });
  return rootRef;
}
