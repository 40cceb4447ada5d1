import { z } from 'zod';
import { parseJsonAs } from './replies';
import { ErrorBody } from './schemas/common';
import { VersionResponse } from './schemas/server';

/**
 * Is the server at an address an OctoPrint, asked without a key? Two GETs tell it apart from any
 * other web server (or from a wrong sub-path of a real one):
 * - `/api/version` answers 200 `{api, server, text: "OctoPrint …"}` when anonymous users may read
 *   status, and otherwise 403 with OctoPrint's JSON `{"error": "You don't have the permission …"}`
 *   (an anonymous request is treated like an invalid key [verified]);
 * - in the 403 case, `/sockjs/info` must be the SockJS info OctoPrint serves to anyone
 *   (`{"websocket": true, "cookie_needed": false, "origins": [...], …}` [verified]).
 */

export type VersionVerdict = 'octoprint' | 'askSockJs' | 'notOctoPrint';

export function judgeVersionReply(status: number, body: string): VersionVerdict {
  if (status === 200) {
    const version = parseJsonAs(body, VersionResponse);
    return version !== null && /^octoprint\b/i.test(version.text ?? '') ? 'octoprint' : 'notOctoPrint';
  }
  if (status === 401 || status === 403) return parseJsonAs(body, ErrorBody) !== null ? 'askSockJs' : 'notOctoPrint';
  return 'notOctoPrint';
}

const SockJsInfo = z.object({ websocket: z.boolean(), cookie_needed: z.boolean(), origins: z.array(z.string()).optional() });

export function isSockJsInfo(status: number, body: string): boolean {
  return status === 200 && parseJsonAs(body, SockJsInfo) !== null;
}

export function notOctoPrintMessage(baseUrl: string): string {
  return `${baseUrl} is not an OctoPrint server: it does not answer as OctoPrint does. Check the address, its port and any sub-path (an OctoPrint behind a proxy at /octoprint needs it in the address).`;
}
