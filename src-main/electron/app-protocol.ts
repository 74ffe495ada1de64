// The `app://airdeck/` scheme that serves the built renderer. Registering it as standard and
// secure gives the page a real origin (so CSP 'self', fetch and storage work) without file://.
import { protocol, type Protocol } from 'electron';
import { APP_SCHEME, createAppRequestHandler } from './app-request';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

/** Serves `rendererDir` on the app scheme of the given session's protocol object. */
export function serveRenderer(sessionProtocol: Protocol, rendererDir: string): void {
  sessionProtocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
}
