// react-big-calendar's drag-and-drop addon, shared by every calendar screen (schedule, shifts).
import { Calendar } from 'react-big-calendar';
import withDragAndDropImport from 'react-big-calendar/lib/addons/dragAndDrop';

// The addon ships as CommonJS only; depending on the bundler's interop its default export
// arrives either as the function or as the module object holding it.
const withDragAndDrop =
  (withDragAndDropImport as unknown as { default?: typeof withDragAndDropImport }).default ??
  withDragAndDropImport;

/** A drag-and-drop calendar over events of type E with resources of type R. */
export function dndCalendar<E extends object, R extends object>() {
  return withDragAndDrop<E, R>(Calendar);
}
