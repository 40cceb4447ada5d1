import { EmptyState } from '../components/EmptyState';
import { useAppStore } from '../stores/app-store';

export function ChatView() {
  const navigate = useAppStore((s) => s.navigate);
  return (
    <section aria-labelledby="chat-title">
      <h1 id="chat-title">Chat</h1>
      <EmptyState
        title="No chat server"
        actions={
          <button type="button" className="primary" onClick={() => navigate('settings')}>
            Add a chat server
          </button>
        }
      >
        <p>Team chat is end-to-end encrypted: add a Skiserver connection in Settings, then sign up with the code sent to your email.</p>
      </EmptyState>
    </section>
  );
}
