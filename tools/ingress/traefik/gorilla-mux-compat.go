// Added by tools/ingress/build.sh to a copy of github.com/gorilla/mux (the version Traefik requires):
// the two names Traefik uses that only its fork (not served by our module proxy) defines. Traefik's
// v3 rule syntax reads the routing path itself; only the deprecated v2 syntax asks mux for it, and
// there it is approximated by the escaped path.

package mux

// RoutingPathKey is the request-context key under which Traefik stores the path it routes on.
const RoutingPathKey contextKey = 100

// UseRoutingPath makes the router match on the escaped path (the fork: on Traefik's routing path).
func (r *Router) UseRoutingPath() *Router {
	return r.UseEncodedPath()
}
