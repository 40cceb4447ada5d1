/** A printer pushed its status: which one, the job's completion it pushed (percent), when (ms). */
export interface PushStamp {
  server: number;
  completion: number | null;
  at: number;
}

/** A client received a delta carrying a device's job progress (0..1). */
export interface ReceivedDelta {
  deviceId: string;
  progress: number;
  at: number;
}

/**
 * Pairs each push with the delta that carried it: the first delta of that device, received after
 * the push, whose progress has reached the pushed one (deltas merge, so one delta may carry several
 * pushes; progress only grows during a job). Pushes without completion, or that no delta carried
 * before the end of what was received, are counted as unmatched.
 */
export function addedLatencies(
  pushes: readonly PushStamp[],
  received: readonly ReceivedDelta[],
  deviceOf: (server: number) => string,
): { latencies: number[]; unmatched: number } {
  const byDevice = new Map<string, ReceivedDelta[]>();
  for (const r of received) {
    const list = byDevice.get(r.deviceId) ?? [];
    list.push(r);
    byDevice.set(r.deviceId, list);
  }
  const latencies: number[] = [];
  let unmatched = 0;
  for (const push of pushes) {
    const carried = push.completion === null ? undefined : (byDevice.get(deviceOf(push.server)) ?? []).find((r) => r.at >= push.at && r.progress >= Math.min(1, push.completion! / 100) - 1e-9);
    if (carried) latencies.push(carried.at - push.at);
    else unmatched++;
  }
  return { latencies, unmatched };
}
