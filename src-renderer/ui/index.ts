// The shared UI kit: every screen builds its dialogs, menus, toasts, fields and tables from
// these, so they look and behave the same and are accessible in one place.
export { Button, type ButtonProps, type ButtonVariant } from './Button';
export { ConfirmDialog, Dialog, type ConfirmDialogProps, type DialogProps } from './Dialog';
export { ContextMenu, DropdownMenu, openContextMenuFor, type MenuItem } from './Menu';
export { toast, dismissToast, clearToasts, useToastStore, type ToastTone } from './toast-store';
export { Toaster } from './Toaster';
export { Popover, Tabs, Tooltip, TooltipProvider, type TabItem } from './Overlays';
export { CheckField, CheckList, Field, FieldError, type CheckOption } from './Field';
export { DataTable, type ColumnDef, type DataTableProps } from './DataTable';
export { TallyBadge, tallyLabel, type TallyState } from './TallyBadge';
export { EmptyState } from './EmptyState';
export { saveBase64File, saveFile } from './download';
export {
  TimeRuler,
  tickInstants,
  type RulerGap,
  type RulerMark,
  type RulerSpan,
  type TimeRulerProps,
} from './TimeRuler';
export {
  isTypingTarget,
  setShortcutHelpOpen,
  toggleShortcutHelp,
  useShortcutDispatcher,
  useShortcuts,
  useShortcutStore,
} from './shortcuts';
export type { Shortcut } from './shortcut-registry';
export { ShortcutsOverlay } from './ShortcutsOverlay';
