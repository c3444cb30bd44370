// Command pause holds a pod's namespaces (the containerd sandbox image) and, as the first process of
// the real node's PID namespace, reaps every orphan until SIGTERM/SIGINT. Invoked as `sleep N` it
// sleeps N seconds, so images without a shell can still run a preStop `sleep`.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if filepath.Base(os.Args[0]) == "sleep" {
		os.Exit(sleep(os.Args[1:]))
	}
	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		reap()
	}
}

// reap collects every exited child without blocking (one SIGCHLD may stand for several).
func reap() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

func sleep(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "usage: sleep SECONDS")
		return 2
	}
	seconds, err := strconv.ParseFloat(args[0], 64)
	if err != nil || seconds < 0 {
		fmt.Fprintf(os.Stderr, "sleep: %q is not a number of seconds\n", args[0])
		return 2
	}
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	return 0
}
