// Kept by tests/web/test_serve_browser.py and benchmarks/serve_rows.py: placed before the page's own scripts
// (Chrome's Page.addScriptToEvaluateOnNewDocument), it keeps the text of every websocket message the page receives
// in window.__seen — the TUI's screen as the page draws it on its canvas.
window.__seen = '';
const Real = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = protocols === undefined ? new Real(url) : new Real(url, protocols);
  const add = (buffer) => { window.__seen += new TextDecoder('utf-8').decode(new Uint8Array(buffer)); };
  ws.addEventListener('message', (event) => {
    if (typeof event.data === 'string') window.__seen += event.data;
    else if (event.data instanceof ArrayBuffer) add(event.data);
    else if (event.data && event.data.arrayBuffer) event.data.arrayBuffer().then(add);
  });
  return ws;
};
window.WebSocket.prototype = Real.prototype;
Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
