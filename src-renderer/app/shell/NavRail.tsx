import { useScreens, type Screen } from '../routing/screens';

/** Left navigation; plain links to hash routes so middle-click and keyboard work as expected. */
export function NavRail({ current }: { current: Screen }) {
  const screens = useScreens();
  return (
    <nav className="nav-rail" aria-label="Screens">
      <ul>
        {screens.map((screen) => (
          <li key={screen.id}>
            <a
              href={`#/${screen.id}`}
              data-testid={`nav-${screen.id}`}
              className="nav-rail__link"
              aria-current={screen.id === current.id ? 'page' : undefined}
            >
              <screen.Icon className="nav-rail__icon" />
              <span>{screen.label}</span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
