import { useEffect, useState, type RefObject } from 'react';

/**
 * True while the element (a wall tile, a review tile) is on screen in a visible page. A tile scrolled away, hidden by the
 * enlarged view (display: none) or in a background tab reports false, and its player stops
 * loading, so a large wall costs only what the operator can see.
 */
export function useOnScreen(ref: RefObject<HTMLElement | null>): boolean {
  const [intersecting, setIntersecting] = useState(false);
  const [pageVisible, setPageVisible] = useState(() => document.visibilityState === 'visible');

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        const last = entries[entries.length - 1];
        if (last) setIntersecting(last.isIntersecting);
      },
      { threshold: 0.01 },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref]);

  useEffect(() => {
    const onChange = () => setPageVisible(document.visibilityState === 'visible');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);

  return intersecting && pageVisible;
}
