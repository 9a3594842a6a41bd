import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';

/** Host and port of a server URL like `http://127.0.0.1:1234`. */
export function hostPort(url: string): { host: string; port: number } {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

/**
 * Send bytes exactly as given on a fresh connection and return whatever came back before the
 * server closed it (or `timeoutMs` passed). For requests no HTTP client would send.
 */
export function rawExchange(url: string, bytes: string, timeoutMs = 2000): Promise<string> {
  const { host, port } = hostPort(url);
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    let received = '';
    const timer = setTimeout(() => socket.destroy(), timeoutMs);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', (error) => {
      clearTimeout(timer);
      if (received) resolve(received);
      else reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(bytes, 'latin1');
  });
}

/** First status code in a raw response, or undefined when the server sent nothing. */
export const statusOf = (raw: string): number | undefined => {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(raw);
  return m ? Number(m[1]) : undefined;
};

/**
 * Pipeline many GETs over a few keep-alive connections and wait for every response. The fast
 * way to push 100,000 requests through a real server without a client library's overhead.
 */
export async function pipelinedGets(url: string, paths: readonly string[], connections = 8, batch = 256): Promise<void> {
  const { host, port } = hostPort(url);
  const perConnection = Math.ceil(paths.length / connections);
  const lanes = Array.from({ length: connections }, (_, i) => paths.slice(i * perConnection, (i + 1) * perConnection));
  await Promise.all(lanes.filter((l) => l.length > 0).map((lane) => runLane(host, port, lane, batch)));
}

const MARKER = 'HTTP/1.1 ';

function runLane(host: string, port: number, lane: readonly string[], batch: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host);
    socket.setEncoding('latin1');
    let sent = 0;
    let answered = 0;
    let tail = '';
    const sendBatch = () => {
      const end = Math.min(sent + batch, lane.length);
      let chunk = '';
      for (; sent < end; sent++) chunk += `GET ${lane[sent]} HTTP/1.1\r\nHost: ${host}\r\n\r\n`;
      socket.write(chunk, 'latin1');
    };
    socket.on('connect', sendBatch);
    socket.on('data', (data: string) => {
      const text = tail + data;
      let at = text.indexOf(MARKER);
      while (at !== -1) {
        answered++;
        at = text.indexOf(MARKER, at + MARKER.length);
      }
      tail = text.slice(-(MARKER.length - 1));
      if (answered >= lane.length) {
        socket.end();
        resolve();
      } else if (answered >= sent - batch / 2 && sent < lane.length) {
        sendBatch();
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      if (answered < lane.length) reject(new Error(`connection closed after ${answered}/${lane.length} responses`));
    });
  });
}

/** Start a GET and drop the connection after `afterMs`, as an impatient client would. */
export function abortedGet(url: string, path: string, afterMs: number): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(`${url}${path}`, { agent: false });
    req.on('error', () => resolve());
    req.on('response', (res) => res.resume());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, afterMs);
  });
}
