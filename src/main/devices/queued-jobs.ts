/**
 * Starts a job of this host's print queue on one of its printers, for requests that come from
 * outside the queue's own screens (an MQTT command). The jobs domain implements it and the hub hands
 * it to the domain that takes such requests, so neither imports the other.
 */
export interface QueuedJobStarter {
  /**
   * Claims the job for the printer and sends it; resolves once the printer accepted it. Rejects
   * with an AppError: NOT_FOUND (no such job or printer), CONFLICT (the job is not waiting or is
   * held, the printer is busy, off line or its bed not cleared), UNSUPPORTED (the printer cannot
   * print that file), or whatever the transfer answers.
   */
  startQueued(jobId: string, deviceId: string): Promise<void>;
}
