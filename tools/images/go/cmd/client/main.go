// Command client is the test-client image: a registry client and a tiny HTTP server in one static
// binary, so pods on the real node can push, pull and serve without a shell or a pulled image.
//
//	client push  --ref R [--pad-mb N]   push a runnable image (this binary, entrypoint `client serve`)
//	client pull  --ref R                 fetch the manifest and every layer, digests verified
//	client get   --url U                 HTTP GET; exit 0 on 2xx
//	client serve [--addr :8080]          answer /healthz until SIGTERM
//	cp SRC DST                           (called as /bin/cp) copy a file, keeping its mode
//
// Registry commands authenticate with the pod's ServiceAccount token as the Basic password when the
// token file exists (what the registry's auth proxy accepts) and trust --ca-file when given.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

const defaultTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token"

type common struct {
	caFile    string
	tokenFile string
	insecure  bool
	timeout   time.Duration
}

func (c *common) register(fs *flag.FlagSet) {
	fs.StringVar(&c.caFile, "ca-file", "", "PEM bundle to trust instead of the system roots")
	fs.StringVar(&c.tokenFile, "token-file", defaultTokenFile, "bearer token sent as the Basic password (skipped when absent)")
	fs.BoolVar(&c.insecure, "insecure", false, "registry commands: plain HTTP (a registry without TLS)")
	fs.DurationVar(&c.timeout, "timeout", 5*time.Minute, "give up after this long")
}

func (c *common) transport() (*http.Transport, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if c.caFile == "" {
		return t, nil
	}
	pem, err := os.ReadFile(c.caFile)
	if err != nil {
		return nil, fmt.Errorf("read --ca-file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--ca-file %s holds no PEM certificate", c.caFile)
	}
	t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return t, nil
}

// token is empty when the file does not exist: the registry then sees an anonymous client.
func (c *common) token() (string, error) {
	b, err := os.ReadFile(c.tokenFile)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read --token-file: %w", err)
	}
	return string(b), nil
}

func printJSON(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

func main() {
	if filepath.Base(os.Args[0]) == "cp" {
		if err := cp(os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, "cp:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: client push|pull|get|serve [flags]")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	var err error
	switch os.Args[1] {
	case "push":
		err = push(ctx, os.Args[2:])
	case "pull":
		err = pull(ctx, os.Args[2:])
	case "get":
		err = get(ctx, os.Args[2:])
	case "serve":
		err = serve(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q; expected push, pull, get or serve", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func get(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("get", flag.ExitOnError)
	var c common
	c.register(fs)
	url := fs.String("url", "", "URL to GET")
	_ = fs.Parse(args)
	t, err := c.transport()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, *url, nil)
	if err != nil {
		return err
	}
	res, err := (&http.Client{Transport: t}).Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 4096))
	printJSON(map[string]any{"status": res.StatusCode, "body": string(body)})
	if res.StatusCode/100 != 2 {
		return fmt.Errorf("GET %s answered %d", *url, res.StatusCode)
	}
	return nil
}

func serve(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	addr := fs.String("addr", ":8080", "listen address")
	_ = fs.Parse(args)
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdown)
	}()
	fmt.Fprintln(os.Stderr, "client: serving on", *addr)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
