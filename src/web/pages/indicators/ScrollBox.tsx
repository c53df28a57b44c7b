import type { ReactNode } from 'react';

/**
 * A table too wide for a phone scrolls inside this box instead of widening the page. A region that
 * scrolls must be reachable with the keyboard (WCAG 2.1.1, axe's scrollable-region-focusable), so it
 * takes the focus and is named for the screen reader that lands on it.
 */
export function ScrollBox(props: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    <section
      className="table-scroll"
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be keyboard-reachable (see above)
      tabIndex={0}
    >
      {props.children}
    </section>
  );
}
