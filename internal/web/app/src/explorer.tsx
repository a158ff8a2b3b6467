// The GraphQL explorer (GraphiQL), built in and served offline, sending the
// signed-in user's token.
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/graphiql.css";
import { currentSession } from "./api";

const session = currentSession();
const headers: Record<string, string> = session ? { Authorization: `Bearer ${session.token}` } : {};
const ws = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/graphql";
const fetcher = createGraphiQLFetcher({ url: "/graphql", subscriptionUrl: ws, headers, wsConnectionParams: headers });

createRoot(document.getElementById("explorer")!).render(
  <GraphiQL fetcher={fetcher} defaultQuery={session ? "{ municipalities { code name } }" : "# Sign in at / first: the explorer uses your session."} />,
);
