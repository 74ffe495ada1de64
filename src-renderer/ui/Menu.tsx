import { ContextMenu as RadixContextMenu, DropdownMenu as RadixDropdownMenu } from 'radix-ui';
import type { ReactElement } from 'react';
import { rememberMenuOrigin } from './focus-return';

export type MenuItem =
  | {
      label: string;
      /** Shown beside the label; the key itself is registered with useShortcuts. */
      shortcut?: string;
      tone?: 'danger';
      disabled?: boolean;
      onSelect: () => void;
      testId?: string;
    }
  | 'separator';

function keyOf(item: MenuItem, index: number) {
  return item === 'separator' ? `separator-${index}` : (item.testId ?? `${item.label}-${index}`);
}

/** Radix's context and dropdown menus share their item parts; one renderer serves both. */
type Parts = typeof RadixDropdownMenu | typeof RadixContextMenu;

function Items({ parts, items }: { parts: Parts; items: readonly MenuItem[] }) {
  const { Item, Separator } = parts;
  return (
    <>
      {items.map((item, index) =>
        item === 'separator' ? (
          <Separator key={keyOf(item, index)} className="ui-menu__separator" />
        ) : (
          <Item
            key={keyOf(item, index)}
            className={`ui-menu__item${item.tone === 'danger' ? ' ui-menu__item--danger' : ''}`}
            disabled={item.disabled}
            data-testid={item.testId}
            onSelect={item.onSelect}
          >
            <span>{item.label}</span>
            {item.shortcut && (
              <kbd className="ui-menu__shortcut" aria-hidden="true">
                {item.shortcut}
              </kbd>
            )}
          </Item>
        ),
      )}
    </>
  );
}

/** Keeps focus where the chosen action put it (an inline rename field, a dialog). */
function onCloseAutoFocus(event: Event) {
  const active = document.activeElement;
  if (active && active !== document.body) event.preventDefault();
}

/** A button that opens a list of actions. `trigger` is one element (usually a kit Button). */
export function DropdownMenu({
  trigger,
  items,
  label,
  testId,
  align = 'start',
}: {
  trigger: ReactElement;
  items: readonly MenuItem[];
  label: string;
  testId?: string;
  align?: 'start' | 'end';
}) {
  return (
    // Not modal: a menu takes focus and Escape closes it, but it does not hide the page from
    // assistive technology while the page stays focusable (an ARIA contradiction).
    <RadixDropdownMenu.Root modal={false}>
      <RadixDropdownMenu.Trigger asChild>{trigger}</RadixDropdownMenu.Trigger>
      <RadixDropdownMenu.Portal>
        <RadixDropdownMenu.Content
          className="ui-menu"
          aria-label={label}
          data-testid={testId}
          align={align}
          sideOffset={4}
          collisionPadding={4}
          onKeyDown={(event) => event.stopPropagation()}
        >
          <Items parts={RadixDropdownMenu} items={items} />
        </RadixDropdownMenu.Content>
      </RadixDropdownMenu.Portal>
    </RadixDropdownMenu.Root>
  );
}

/**
 * A right-click menu over an area. `items` is asked for when the menu opens, so the area's rows
 * can say first (in their own onContextMenu) which one was clicked. Returning no items keeps the
 * menu shut. The keyboard opens it too: see `openContextMenuFor`.
 */
export function ContextMenu({
  children,
  items,
  label,
  testId,
  onOpenChange,
}: {
  children: ReactElement;
  items: () => readonly MenuItem[];
  label: string;
  testId?: string;
  onOpenChange?: (open: boolean) => void;
}) {
  const shown = items();
  return (
    <RadixContextMenu.Root
      modal={false}
      onOpenChange={(open) => {
        if (open) rememberMenuOrigin(document.activeElement);
        onOpenChange?.(open);
      }}
    >
      <RadixContextMenu.Trigger
        asChild
        onContextMenu={(event) => {
          rememberMenuOrigin(document.activeElement);
          // Nothing to offer here (empty space): neither ours nor the browser's menu.
          if (items().length === 0) event.preventDefault();
        }}
      >
        {children}
      </RadixContextMenu.Trigger>
      <RadixContextMenu.Portal>
        <RadixContextMenu.Content
          className="ui-menu"
          aria-label={label}
          data-testid={testId}
          collisionPadding={4}
          onKeyDown={(event) => event.stopPropagation()}
          onCloseAutoFocus={onCloseAutoFocus}
        >
          <Items parts={RadixContextMenu} items={shown} />
        </RadixContextMenu.Content>
      </RadixContextMenu.Portal>
    </RadixContextMenu.Root>
  );
}

/**
 * Opens the context menu of the area around `element` from the keyboard (Shift+F10, the Menu
 * key), placed at the element as a right-click there would be.
 */
export function openContextMenuFor(element: HTMLElement | null) {
  if (!element) return;
  rememberMenuOrigin(element);
  const rect = element.getBoundingClientRect();
  element.dispatchEvent(
    new MouseEvent('contextmenu', {
      bubbles: true,
      cancelable: true,
      clientX: rect.left + Math.min(40, rect.width / 2),
      clientY: rect.bottom - 2,
    }),
  );
}
