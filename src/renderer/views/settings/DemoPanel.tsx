import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DemoFault } from '../../../shared/contract';
import { useAppStore } from '../../stores/app-store';
import { useDemoStore } from '../../stores/demo-store';

const FAULTS: { label: string; fault: DemoFault }[] = [
  { label: 'Slow (2 s)', fault: { type: 'delay', ms: 2000 } },
  { label: 'Drop connection', fault: { type: 'drop' } },
  { label: 'Send garbage', fault: { type: 'garbage', bytes: 64 } },
  { label: 'Restart', fault: { type: 'restart', downMs: 2000 } },
  { label: 'Clear faults', fault: { type: 'clear' } },
];

/** Lab sizes offered; 0 is the built-in demo (a few printers of each family and the servers). */
const SIZES = [0, 10, 100, 500, 1000];
/** A lab of 1,000 would be 5,000 buttons: the table lists this many and counts the rest. */
const LISTED = 50;

/** Start and stop the simulated fleet, and make its members misbehave on purpose. */
export function DemoPanel() {
  const { demo, busy, start, stop, inject } = useDemoStore(
    useShallow((s) => ({ demo: s.demo, busy: s.busy, start: s.start, stop: s.stop, inject: s.inject })),
  );
  const errorToast = useAppStore((s) => s.errorToast);
  const [size, setSize] = useState(0);
  return (
    <section aria-labelledby="demo-title" className="panel">
      <div className="section-head">
        <h2 id="demo-title">Demo fleet</h2>
        {!demo.running && (
          <label>
            Printers{' '}
            <select value={size} disabled={busy} onChange={(e) => setSize(Number(e.target.value))}>
              {SIZES.map((n) => (
                <option key={n} value={n}>
                  {n === 0 ? 'Built-in demo' : `A lab of ${n}`}
                </option>
              ))}
            </select>
          </label>
        )}
        <button
          type="button"
          disabled={busy}
          onClick={async () => {
            const r = demo.running ? await stop() : await start(size === 0 ? {} : { printers: size });
            if (!r.ok) errorToast('Demo fleet', r.error);
          }}
        >
          {busy ? 'Working…' : demo.running ? 'Stop the demo fleet' : 'Start the demo fleet'}
        </button>
      </div>
      <p className="muted">Simulated printers and servers on this computer, reached over real network sockets like real ones.</p>
      {demo.simulators.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Running simulators</caption>
          <thead>
            <tr>
              <th scope="col">Simulator</th>
              <th scope="col">Address</th>
              <th scope="col">Faults</th>
              <th scope="col">Inject</th>
            </tr>
          </thead>
          <tbody>
            {demo.simulators.slice(0, LISTED).map((sim) => (
              <tr key={sim.id}>
                <td>{sim.name}</td>
                <td className="mono small">{sim.address}</td>
                <td>{sim.faults.length ? sim.faults.join(', ') : 'none'}</td>
                <td className="row-actions">
                  {FAULTS.map((f) => (
                    <button
                      key={f.label}
                      type="button"
                      className="small-button"
                      aria-label={`${f.label}: ${sim.name}`}
                      onClick={async () => {
                        const r = await inject(sim.id, f.fault);
                        if (!r.ok) errorToast(`Could not inject into ${sim.name}`, r.error);
                      }}
                    >
                      {f.label}
                    </button>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {demo.simulators.length > LISTED && <p className="muted">…and {demo.simulators.length - LISTED} more simulators.</p>}
    </section>
  );
}
