package main

import (
	"archive/tar"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/google/go-containerregistry/pkg/authn"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/random"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

func (c *common) parseRef(s string) (name.Reference, error) {
	if c.insecure {
		return name.ParseReference(s, name.Insecure)
	}
	return name.ParseReference(s)
}

func (c *common) remoteOptions(ctx context.Context) ([]remote.Option, error) {
	t, err := c.transport()
	if err != nil {
		return nil, err
	}
	opts := []remote.Option{remote.WithContext(ctx), remote.WithTransport(t)}
	token, err := c.token()
	if err != nil {
		return nil, err
	}
	if token != "" {
		opts = append(opts, remote.WithAuth(&authn.Basic{Username: "serviceaccount", Password: token}))
	}
	return opts, nil
}

// selfLayer is a layer holding this very binary at /client, so the pushed image runs `client serve`.
func selfLayer() (v1.Layer, error) {
	self, err := os.ReadFile("/proc/self/exe")
	if err != nil {
		return nil, fmt.Errorf("read own binary: %w", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: "client", Mode: 0o755, Size: int64(len(self)), Typeflag: tar.TypeReg}); err != nil {
		return nil, err
	}
	if _, err := tw.Write(self); err != nil {
		return nil, err
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil },
		tarball.WithMediaType(types.OCILayer))
}

func push(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("push", flag.ExitOnError)
	var c common
	c.register(fs)
	refArg := fs.String("ref", "", "image reference to push to")
	padMB := fs.Int64("pad-mb", 1, "size of an extra layer of random bytes in MiB (makes every push a new image)")
	_ = fs.Parse(args)
	ref, err := c.parseRef(*refArg)
	if err != nil {
		return fmt.Errorf("--ref: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	opts, err := c.remoteOptions(ctx)
	if err != nil {
		return err
	}
	self, err := selfLayer()
	if err != nil {
		return err
	}
	pad, err := random.Layer(*padMB<<20, types.OCILayer)
	if err != nil {
		return err
	}
	img, err := mutate.AppendLayers(mutate.MediaType(empty.Image, types.OCIManifestSchema1), self, pad)
	if err != nil {
		return err
	}
	img = mutate.ConfigMediaType(img, types.OCIConfigJSON)
	img, err = mutate.Config(img, v1.Config{Entrypoint: []string{"/client", "serve"}, User: "65532:65532"})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := remote.Write(ref, img, opts...); err != nil {
		return fmt.Errorf("push %s: %w", ref, err)
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	size, err := imageBytes(img)
	if err != nil {
		return err
	}
	printJSON(map[string]any{"ref": ref.String(), "digest": digest.String(), "bytes": size, "ms": time.Since(start).Milliseconds()})
	return nil
}

func pull(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("pull", flag.ExitOnError)
	var c common
	c.register(fs)
	refArg := fs.String("ref", "", "image reference to pull")
	_ = fs.Parse(args)
	ref, err := c.parseRef(*refArg)
	if err != nil {
		return fmt.Errorf("--ref: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	opts, err := c.remoteOptions(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	img, err := remote.Image(ref, opts...)
	if err != nil {
		return fmt.Errorf("pull %s: %w", ref, err)
	}
	layers, err := img.Layers()
	if err != nil {
		return err
	}
	var total int64
	for _, l := range layers {
		rc, err := l.Compressed() // verifies the digest while reading
		if err != nil {
			return err
		}
		n, err := io.Copy(io.Discard, rc)
		rc.Close()
		if err != nil {
			return fmt.Errorf("read layer: %w", err)
		}
		total += n
	}
	digest, err := img.Digest()
	if err != nil {
		return err
	}
	printJSON(map[string]any{"ref": ref.String(), "digest": digest.String(), "bytes": total, "ms": time.Since(start).Milliseconds()})
	return nil
}

func imageBytes(img v1.Image) (int64, error) {
	layers, err := img.Layers()
	if err != nil {
		return 0, err
	}
	var total int64
	for _, l := range layers {
		n, err := l.Size()
		if err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}
