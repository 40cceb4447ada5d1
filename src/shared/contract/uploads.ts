/**
 * The uploads surface of the contract. Calls are named `uploads.verb`; each is declared once here
 * with zod schemas and merged into the contract in ./index.ts.
 */
export const uploadCalls = {};

export const uploadEvents = {};
