package main

import (
	"context"

	"k8s.io/component-base/cli"
	proxy "k8s.io/kubernetes/cmd/kube-proxy/app"
	kubelet "k8s.io/kubernetes/cmd/kubelet/app"
)

// The real node of libs/testing: kubelet and kube-proxy share the control plane's pins and link.

func runKubelet() int { return cli.Run(kubelet.NewKubeletCommand(context.Background())) }

func runKubeProxy() int { return cli.Run(proxy.NewProxyCommand()) }
