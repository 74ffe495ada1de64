/**
 * Where focus goes back to when an overlay closes. A dialog opened from a menu item would
 * otherwise return focus to that item, which no longer exists, and the operator's place is lost;
 * menus remember the element they were opened from so the dialog can return there instead.
 */
let menuOrigin: HTMLElement | null = null;

export function rememberMenuOrigin(element: Element | null) {
  if (element instanceof HTMLElement && !element.closest('[role="menu"]')) menuOrigin = element;
}

/** The element an overlay opening now should give focus back to. */
export function focusOrigin(): HTMLElement | null {
  const active = document.activeElement;
  if (active instanceof HTMLElement && active !== document.body && !active.closest('[role="menu"]'))
    return active;
  return menuOrigin?.isConnected ? menuOrigin : null;
}

export function returnFocus(origin: HTMLElement | null): boolean {
  if (!origin?.isConnected) return false;
  origin.focus({ preventScroll: true });
  return document.activeElement === origin;
}
