import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createQueryClient } from './app/api/query-client';
import { startSession } from './app/api/session';
import './ui/tokens.css';
import './styles/theme.css';
import './ui/kit.css';

const queryClient = createQueryClient();
// The session lives outside React so StrictMode's double effects never open two sockets.
startSession(queryClient);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App queryClient={queryClient} />
  </StrictMode>,
);
