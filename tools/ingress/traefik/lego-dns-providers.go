// Replaces zz_gen_dns_providers.go in tools/ingress/build.sh's copy of github.com/go-acme/lego/v5:
// the test ingress controller never solves ACME DNS challenges, and the 200-odd provider SDKs are most
// of Traefik's build (some of them are not served by our module proxy at all).

package dns

import (
	"fmt"

	"github.com/go-acme/lego/v5/challenge"
)

// NewDNSChallengeProviderByName refuses every provider: none is compiled into this build.
func NewDNSChallengeProviderByName(name string) (challenge.Provider, error) {
	return nil, fmt.Errorf("ACME DNS provider %q is not compiled into this Traefik build (tools/ingress)", name)
}
