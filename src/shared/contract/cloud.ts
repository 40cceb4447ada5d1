/**
 * The cloud surface of the contract. Calls are named `cloud.verb`; each is declared once here
 * with zod schemas and merged into the contract in ./index.ts.
 */
export const cloudCalls = {};

export const cloudEvents = {};
