import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * The width an element is laid out at, followed as it changes (ResizeObserver), so an SVG chart
 * can draw in real pixels across its panel instead of a fixed viewBox stretched (text squashed)
 * or letterboxed (a narrow chart centred in a wide panel). `fallback` stands until the first
 * measurement and where there is no layout (tests without ResizeObserver).
 */
export function useElementWidth<T extends Element>(fallback: number): [(el: T | null) => void, number] {
  const [width, setWidth] = useState(fallback);
  const observer = useRef<ResizeObserver | null>(null);
  const ref = useCallback((el: T | null) => {
    observer.current?.disconnect();
    observer.current = null;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () => {
      const w = Math.round(el.getBoundingClientRect().width);
      // Zero while hidden (a closed panel): keep the last width rather than draw nothing.
      if (w > 0) setWidth(w);
    };
    observer.current = new ResizeObserver(measure);
    observer.current.observe(el);
    measure();
  }, []);
  useEffect(() => () => observer.current?.disconnect(), []);
  return [ref, width];
}
