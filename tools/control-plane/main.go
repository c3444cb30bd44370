// Command kube is a multi-call binary holding every control-plane component the
// tests and the local run need, so the large Kubernetes link happens once.
// Invoke it through a symlink named after the component (etcd, kube-apiserver,
// kube-controller-manager, kube-scheduler, kubectl, kwok, kubelet, kube-proxy) or as `kube <component> …`.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

var components = map[string]func() int{
	"etcd":                    runEtcd,
	"kube-apiserver":          runAPIServer,
	"kube-controller-manager": runControllerManager,
	"kube-scheduler":          runScheduler,
	"kubectl":                 runKubectl,
	"kwok":                    runKwok,
	"kubelet":                 runKubelet,
	"kube-proxy":              runKubeProxy,
}

func main() {
	name := filepath.Base(os.Args[0])
	if _, ok := components[name]; !ok && len(os.Args) > 1 {
		// `kube <component> args…`: drop our own name so the component sees a normal argv.
		name = os.Args[1]
		os.Args = os.Args[1:]
	}
	run, ok := components[name]
	if !ok {
		names := make([]string, 0, len(components))
		for n := range components {
			names = append(names, n)
		}
		sort.Strings(names)
		fmt.Fprintf(os.Stderr, "usage: kube <component> [args…]; components: %v\n", names)
		os.Exit(2)
	}
	os.Exit(run())
}
