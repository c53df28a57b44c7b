// Windowing for long lists: only the rows in view (and a few around them) are in the page, so a desk
// of 10,000 open requests scrolls as smoothly as one of ten. Rows have a fixed height.
import { type RefObject, useEffect, useState } from 'react';

export type WindowRange = { start: number; end: number; padTop: number; padBottom: number };

/** Which rows to render for a scroll position: [start, end) plus the space above and below them. */
export function windowRange(
  count: number,
  rowHeight: number,
  scrollTop: number,
  viewportHeight: number,
  overscan = 8,
): WindowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewportHeight, rowHeight) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

/** Tracks the scroll position and height of a scrolling element and gives the rows to render. */
export function useWindowRange(
  ref: RefObject<HTMLElement | null>,
  count: number,
  rowHeight: number,
  headerHeight = 0,
): WindowRange {
  const [view, setView] = useState({ top: 0, height: 800 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      setView((old) => {
        const top = Math.max(0, el.scrollTop - headerHeight);
        const height = el.clientHeight;
        return old.top === top && old.height === height ? old : { top, height };
      });
    };
    // One measurement per animation frame however fast the wheel turns.
    const onScroll = () => {
      if (!frame) frame = requestAnimationFrame(read);
    };
    read();
    el.addEventListener('scroll', onScroll, { passive: true });
    const resize = new ResizeObserver(onScroll);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      resize.disconnect();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [ref, headerHeight]);
  return windowRange(count, rowHeight, view.top, view.height);
}
