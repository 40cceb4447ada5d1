import { createRoot } from 'react-dom/client';
import { createClient } from '../shared/rpc/client';
import { setClient } from './api';
import { App } from './views/App';
import { createWebSocketTransport } from './transport/websocket-transport';
import './styles.css';

// Inside Electron the preload has put the client on window; in a browser we reach the host over WebSocket.
if (!window.printdeck) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  window.printdeck = createClient(createWebSocketTransport({ url: `${scheme}//${location.host}/ws` }));
}
setClient(window.printdeck);

const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
