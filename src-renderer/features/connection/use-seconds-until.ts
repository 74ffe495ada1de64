import { useEffect, useState } from 'react';

/**
 * Whole seconds left until `deadline` (epoch ms), re-rendered a few times a second while a
 * deadline is set. Only the reconnect countdown uses a local timer: while the core is away
 * there are no clockTicks to drive it.
 */
export function useSecondsUntil(deadline: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadline === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [deadline]);
  if (deadline === null) return null;
  return Math.max(0, Math.ceil((deadline - now) / 1000));
}
