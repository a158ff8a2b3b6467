package casus

import "context"

// Actor is who makes a request: the user behind it, with the role they act in.
type Actor struct {
	ID   string
	Name string
	Role string
}

type actorKey struct{}

// WithActor returns a context that carries actor.
func WithActor(ctx context.Context, actor Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// ActorFrom returns the actor ctx carries, and whether it carries one.
func ActorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}
