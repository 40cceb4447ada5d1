import type { DemoFault } from '../../src/shared/contract';
import type { TcpFaultProxy } from './tcp-fault-proxy';

/** What a simulated server behind a fault proxy can do wrong by itself. */
export interface ServerFaultTarget {
  /** Answers this much later (0: at once). */
  setDelay(ms: number): void;
  /** Closes its push sockets (the proxy cuts the rest). */
  dropSockets(): void;
  /** Sends bytes its clients cannot parse. */
  garbage(): void;
  /** Restarts as the real server would (sessions and subscriptions lost). */
  restart(): void;
}

/**
 * The demo's faults for an HTTP + push simulator behind a TcpFaultProxy, the same for every such family:
 * the server does what it can do itself, the proxy does what only the network can (cut, black hole, down time).
 */
export async function injectServerFault(fault: DemoFault, server: ServerFaultTarget, proxy: TcpFaultProxy): Promise<void> {
  switch (fault.type) {
    case 'delay':
      server.setDelay(fault.ms);
      return;
    case 'drop':
      server.dropSockets();
      proxy.inject(fault);
      return;
    case 'garbage':
      server.garbage();
      return;
    case 'restart':
      server.restart();
      await proxy.restart(fault.downMs);
      return;
    case 'blackhole':
      proxy.inject(fault);
      return;
    case 'clear':
      server.setDelay(0);
      proxy.inject(fault);
      return;
  }
}
