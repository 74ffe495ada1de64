import { useQueryClient } from '@tanstack/react-query';
import { signOutAndClose } from '../../app/api/session';
import { Button } from '../../ui';
import { useAuthStore } from './store';

/** Who is at the desk, and the way out: every action in this window is theirs. */
export function PersonBadge() {
  const queryClient = useQueryClient();
  const person = useAuthStore((store) => store.person);
  if (!person) return null;
  return (
    <div className="person-badge" data-testid="person-badge">
      {/* The name opens My account: password, second factor and own sessions. */}
      <a
        href="#/account"
        className="person-badge__name"
        data-testid="person-name"
        aria-label={`${person.displayName}: my account`}
      >
        {person.displayName}
      </a>
      <span className="person-badge__role">{person.role}</span>
      <Button size="sm" data-testid="sign-out" onClick={() => void signOutAndClose(queryClient)}>
        Sign out
      </Button>
    </div>
  );
}
