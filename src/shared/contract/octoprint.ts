/**
 * OctoPrint-specific calls (pairing, terminal, files on the server, jog/targets), `octoprint.verb`.
 * What every printer can do lives in ./printers.ts.
 */
export const octoprintCalls = {};

export const octoprintEvents = {};
