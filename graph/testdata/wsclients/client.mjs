// Subscribes to casusnet's caseEvents with a real client library and prints
// one JSON line per happening: {"connected":true}, {"event":{...}} and
// {"error":...}. It exits after `count` events.
//
//   node client.mjs <url> <token> <graphql-transport-ws|graphql-ws> <after or ""> <count>
import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import subscriptions from 'subscriptions-transport-ws';

const [url, token, protocol, after, count] = process.argv.slice(2);
const query = `subscription($after: String) { caseEvents(after: $after) { sequence cursor type case { reference } } }`;
const variables = after ? { after } : {};
const print = (v) => process.stdout.write(JSON.stringify(v) + '\n');

let seen = 0;
let stop = () => {};
const sink = {
  next(result) {
    if (result.errors) {
      print({ error: result.errors });
      process.exit(1);
    }
    print({ event: result.data.caseEvents });
    if (++seen === Number(count)) {
      stop();
      process.exit(0);
    }
  },
  error(err) {
    print({ error: String(err && err.message ? err.message : JSON.stringify(err)) });
    process.exit(1);
  },
  complete() {},
};

if (protocol === 'graphql-transport-ws') {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: { Authorization: `Bearer ${token}` },
    on: { connected: (socket) => print({ connected: true, protocol: socket.protocol }) },
  });
  stop = client.subscribe({ query, variables }, sink);
} else if (protocol === 'graphql-ws') {
  const client = new subscriptions.SubscriptionClient(url, {
    reconnect: false,
    connectionParams: { Authorization: `Bearer ${token}` },
    connectionCallback: (err) => err ? sink.error(err) : print({ connected: true, protocol: client.client.protocol }),
  }, WebSocket);
  const sub = client.request({ query, variables }).subscribe(sink);
  stop = () => { sub.unsubscribe(); client.close(); };
} else {
  print({ error: `unknown protocol ${protocol}` });
  process.exit(2);
}
setTimeout(() => { print({ error: 'timed out' }); process.exit(3); }, 30000);
