package server

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// The two GraphQL websocket subprotocols clients speak: graphql-transport-ws
// (the graphql-ws npm library, what web clients use today) and the legacy
// graphql-ws (subscriptions-transport-ws). They differ in message names and
// in how a quiet connection is kept alive; the connection does the rest the
// same way for both.
const (
	transportWS = "graphql-transport-ws"
	legacyWS    = "graphql-ws"
)

// protocol is one subprotocol's vocabulary.
type protocol struct {
	name string
	// start and stop are the client's messages that begin and end a
	// subscription; terminate (legacy only) ends the connection.
	start, stop, terminate string
	// data is the server's message carrying one result.
	data string
	// keepAlive is the server's message on a quiet connection: a ping the
	// client must answer with a pong, or a legacy keep-alive.
	keepAlive string
}

var protocols = map[string]protocol{
	transportWS: {name: transportWS, start: "subscribe", stop: "complete", data: "next", keepAlive: "ping"},
	legacyWS:    {name: legacyWS, start: "start", stop: "stop", terminate: "connection_terminate", data: "data", keepAlive: "ka"},
}

// Close codes of graphql-transport-ws, which the legacy protocol's clients
// understand as plain abnormal closes.
const (
	closeBadMessage   = 4400
	closeInitTimeout  = 4408
	closeDuplicateID  = 4409
	closeTooManyInits = 4429
)

// inMessage is a message from the client.
type inMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// frame renders a message to the client. The payload is JSON already
// (rendered once, perhaps shared by many subscribers), so a frame is
// assembled, not marshalled.
func frame(typ, id string, payload []byte) []byte {
	b := make([]byte, 0, len(payload)+len(id)+len(typ)+32)
	b = append(b, `{"type":`...)
	b = strconv.AppendQuote(b, typ)
	if id != "" {
		b = append(b, `,"id":`...)
		b = strconv.AppendQuote(b, id)
	}
	if payload != nil {
		b = append(b, `,"payload":`...)
		b = append(b, payload...)
	}
	return append(b, '}')
}

// errorsPayload is the payload of an error message: a list of GraphQL
// errors with their codes.
func errorsPayload(code, message string, extensions map[string]any) []byte {
	ext := map[string]any{"code": code}
	for k, v := range extensions {
		ext[k] = v
	}
	b, err := json.Marshal([]map[string]any{{"message": message, "extensions": ext}})
	if err != nil {
		panic(fmt.Sprintf("an error payload does not marshal: %v", err))
	}
	return b
}
