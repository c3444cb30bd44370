package main

import (
	"fmt"
	"io"
	"os"
)

// cp SRC DST, when the binary is called as /bin/cp: the registry image has no shell tools, and the
// pruner's init container copies /bin/registry out of it with `cp` (the upstream image has busybox).
// The copy keeps the source's mode, so an executable stays executable.
func cp(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: cp SRC DST")
	}
	src, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	dst, err := os.OpenFile(args[1], os.O_WRONLY|os.O_CREATE|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}
