/** What the HTTP client hands over, as plain data, so a server's protocol code can read replies without I/O. */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

/** A finished HTTP exchange as the client hands it over. */
export interface HttpReply {
  method: HttpMethod;
  status: number;
  /** The body as text ("" when empty). */
  body: string;
}
