import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { useShallow } from 'zustand/react/shallow';
import { TokenPrompt } from '../features/connection/TokenPrompt';
import { useConnectionStore } from '../features/connection/store';
import { ConnectingSplash } from './shell/ConnectingSplash';
import { Shell } from './shell/Shell';

/** Decides what the window may show: the token prompt, the first connection attempt, or the shell. */
function SessionGate() {
  const { stateKind, tokenCheck, hasConnected } = useConnectionStore(
    useShallow((store) => ({
      stateKind: store.state.kind,
      tokenCheck: store.tokenCheck,
      hasConnected: store.hasConnected,
    })),
  );
  if (stateKind === 'unauthorized' || tokenCheck === 'checking') return <TokenPrompt />;
  if (!hasConnected) return <ConnectingSplash />;
  return <Shell />;
}

export function App({ queryClient }: { queryClient: QueryClient }) {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionGate />
    </QueryClientProvider>
  );
}
