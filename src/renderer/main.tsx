import { createRoot } from 'react-dom/client';
import { createClient } from '../shared/rpc/client';
import { setClient } from './api';
import { App } from './views/App';
import { obtainSession, sessionProtocols } from './transport/browser-session';
import { createWebSocketTransport } from './transport/websocket-transport';
import './styles.css';

const NEEDS_TOKEN = 'Printdeck: this page needs the access token. Open the URL the Printdeck host printed when it started.';

async function start(): Promise<void> {
  const root = document.getElementById('root');
  // Inside Electron the preload has put the client on window; in a browser we reach the host over WebSocket.
  if (!window.printdeck) {
    const session = await obtainSession({ location, history, fetch: window.fetch.bind(window), storage: sessionStorageOrNull() }).catch(() => null);
    if (!session) {
      if (root) {
        const p = document.createElement('p');
        p.setAttribute('role', 'alert');
        p.textContent = NEEDS_TOKEN;
        root.replaceChildren(p);
      }
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    window.printdeck = createClient(createWebSocketTransport({ url: `${scheme}//${location.host}/ws`, protocols: sessionProtocols(session) }));
  }
  setClient(window.printdeck);
  if (root) createRoot(root).render(<App />);
}

function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // storage disabled: the session lasts as long as the page
  }
}

void start();
