import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { SetupScreen, SignInScreen } from '../features/auth/AuthGate';
import { useAuthStore } from '../features/auth/store';
import { useConnectionStore } from '../features/connection/store';
import { ConnectingSplash } from './shell/ConnectingSplash';
import { Shell } from './shell/Shell';

/** Decides what the window may show: sign-in, first-run set-up, the first connection, or the shell. */
function SessionGate() {
  const phase = useAuthStore((store) => store.phase);
  const hasConnected = useConnectionStore((store) => store.hasConnected);
  if (phase === 'setup') return <SetupScreen />;
  if (phase === 'signedOut') return <SignInScreen />;
  if (phase === 'checking' || !hasConnected) return <ConnectingSplash />;
  return <Shell />;
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionGate />
    </QueryClientProvider>
  );
}
