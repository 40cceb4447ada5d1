/**
 * The chat surface of the contract. Calls are named `chat.verb`; each is declared once here
 * with zod schemas and merged into the contract in ./index.ts.
 */
export const chatCalls = {};

export const chatEvents = {};
