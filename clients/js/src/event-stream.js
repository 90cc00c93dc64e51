// A server-sent events parser over a fetch body (EventSource cannot send an Authorization header). Follows the
// HTML event-stream rules the gateway relies on: `id:`, `event:`, `data:` fields, comment lines (heartbeats),
// a blank line ends an event; lines end with LF, CRLF or CR.

/**
 * @typedef {object} ServerSentEvent
 * @property {string} event The event type ("message" when the event named none).
 * @property {string} data The data lines joined by LF.
 * @property {string|undefined} id The event's id, when it had one.
 */

/**
 * Reads events from a byte stream until it ends. `onActivity` runs for every chunk, heartbeats included, so a
 * caller can tell a quiet stream from a dead one.
 * @param {ReadableStream<Uint8Array>} body
 * @param {() => void} [onActivity]
 * @returns {AsyncGenerator<ServerSentEvent>}
 */
export async function* readEventStream(body, onActivity = () => {}) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let data = [];
  let event = "";
  let id;
  let sawField = false;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      onActivity();
      buffer += decoder.decode(value, { stream: true });
      let start = 0;
      while (true) {
        const cr = buffer.indexOf("\r", start);
        const lf = buffer.indexOf("\n", start);
        let end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
        if (end === cr && cr === buffer.length - 1) break;
        const line = buffer.slice(start, end);
        start = end + (end === cr && buffer[cr + 1] === "\n" ? 2 : 1);
        if (line === "") {
          if (sawField && data.length > 0) yield { event: event || "message", data: data.join("\n"), id };
          data = [];
          event = "";
          id = undefined;
          sawField = false;
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon === -1 ? line : line.slice(0, colon);
        let fieldValue = colon === -1 ? "" : line.slice(colon + 1);
        if (fieldValue.startsWith(" ")) fieldValue = fieldValue.slice(1);
        sawField = true;
        if (field === "data") data.push(fieldValue);
        else if (field === "event") event = fieldValue;
        else if (field === "id" && !fieldValue.includes("\0")) id = fieldValue;
      }
      buffer = buffer.slice(start);
    }
  } finally {
    // Also when the consumer stops early: the connection must not stay open behind it.
    reader.cancel().catch(() => {});
  }
}
