// The nested module github.com/traefik/traefik/dynamic/ext (pkg/config/dynamic/ext), which the
// module proxy does not serve separately and the Traefik module zip leaves out: extension points of
// Traefik's dynamic configuration, empty in the open-source build. build.sh writes this file there.

package ext

// HTTP extends dynamic.HTTPConfiguration; nothing in this build.
type HTTP struct{}

// Router extends dynamic.Router; nothing in this build.
type Router struct{}

// RouterIng extends the Ingress provider's router annotations; nothing in this build.
type RouterIng struct{}

// ToRouter converts the (empty) annotation extension into the (empty) router extension.
func (RouterIng) ToRouter() Router { return Router{} }
