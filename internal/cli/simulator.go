package cli

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/skillgate/skillgate/internal/smapitest"
	"github.com/skillgate/skillgate/internal/validate"
)

// Credentials the simulator prints for clients. They are not secrets: the
// simulator accepts any well-formed credentials.
const (
	simClientID     = "skillgate-simulator"
	simClientSecret = "simulator-secret"
	simRefreshToken = "simulator-refresh-token"
)

// simulatorConfig is what `skillgate simulator`'s flags ask for.
type simulatorConfig struct {
	addr                             string
	skills                           stringsFlag
	buildTime, certTime, publishTime time.Duration
	vendorID                         string
	lifetime                         time.Duration
	allowRemote                      bool
}

func runSimulator(ctx context.Context, env *Env, args []string) int {
	cfg, code, ok := parseSimulatorFlags(env, args)
	if !ok {
		return code
	}
	srv := smapitest.New(
		smapitest.WithVendor(cfg.vendorID),
		smapitest.WithBuildTime(cfg.buildTime),
		smapitest.WithCertificationTime(cfg.certTime),
		smapitest.WithPublicationTime(cfg.publishTime),
	)
	var loaded []string
	for _, p := range cfg.skills {
		id, err := preloadSkill(srv, p)
		if err != nil {
			fmt.Fprintf(env.Stderr, "skillgate simulator: --skill %s: %v\n", p, err)
			return ExitUsage
		}
		loaded = append(loaded, fmt.Sprintf("# skill %s from %s\n", id, p))
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		// A port taken or out of range: the flag's value is what to change.
		fmt.Fprintf(env.Stderr, "skillgate simulator: %v; pick another --addr\n", err)
		return ExitUsage
	}
	base := "http://" + ln.Addr().String()
	srv.SetPublicURL(base) // upload, export and icon URLs point here, not at a proxy in front
	fmt.Fprintf(env.Stdout, "# skillgate simulator: SMAPI and LWA at %s (Ctrl-C stops it)\n", base)
	for _, l := range loaded {
		fmt.Fprint(env.Stdout, l)
	}
	printSimulatorEnv(env, base, cfg.vendorID)

	if cfg.lifetime > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.lifetime)
		defer cancel()
	}
	return serveSimulator(ctx, env, srv, ln)
}

// parseSimulatorFlags reads the flags and refuses arguments and, unless
// --allow-remote, an address other hosts could reach.
func parseSimulatorFlags(env *Env, args []string) (simulatorConfig, int, bool) {
	var cfg simulatorConfig
	fs := newFlagSet(env, "simulator", "[--addr 127.0.0.1:0] [--skill PATH]... [--build-time 2s] [--vendor-id V] [--for D]",
		"Serve the in-memory SMAPI + Login with Amazon simulator until interrupted.\n"+
			"It prints the base URL and the environment variables that point skillgate and\n"+
			"ask-cli at it. Only loopback addresses are allowed unless --allow-remote is given:\n"+
			"the simulator accepts any credentials, so it must not be reachable from elsewhere.\n"+
			"Each --skill is a skill.json file or a skill package folder (skill.json and\n"+
			"interactionModels/custom/<locale>.json) preloaded in the development stage.")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:0", "`address` to listen on (port 0 picks a free port)")
	fs.Var(&cfg.skills, "skill", "preload a skill from a skill.json or package folder (repeatable)")
	fs.DurationVar(&cfg.buildTime, "build-time", 2*time.Second, "how long manifest and interaction model builds stay IN_PROGRESS")
	fs.DurationVar(&cfg.certTime, "certification-time", 2*time.Second, "how long a submitted skill stays in CERTIFICATION")
	fs.DurationVar(&cfg.publishTime, "publication-time", 2*time.Second, "how long a publication stays IN_PROGRESS")
	fs.StringVar(&cfg.vendorID, "vendor-id", smapitest.DefaultVendorID, "the vendor `id` skills belong to")
	fs.DurationVar(&cfg.lifetime, "for", 0, "stop by itself after this long, for scripts that must not leave it running (0: until interrupted)")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false, "allow a non-loopback --addr (anyone who can reach it gets a token)")
	if code, ok := parse(fs, args); !ok {
		return cfg, code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "skillgate simulator: unexpected argument %q; preload skills with --skill\n", fs.Arg(0))
		return cfg, ExitUsage, false
	}
	for _, d := range []struct {
		flag  string
		value time.Duration
	}{{"build-time", cfg.buildTime}, {"certification-time", cfg.certTime}, {"publication-time", cfg.publishTime}, {"for", cfg.lifetime}} {
		if d.value < 0 {
			fmt.Fprintf(env.Stderr, "skillgate simulator: --%s %s: give a duration of 0 or more\n", d.flag, d.value)
			return cfg, ExitUsage, false
		}
	}
	if !cfg.allowRemote {
		if err := checkLoopback(cfg.addr); err != nil {
			fmt.Fprintf(env.Stderr, "skillgate simulator: %v\n", err)
			return cfg, ExitUsage, false
		}
	}
	return cfg, ExitOK, true
}

// printSimulatorEnv prints, as shell, the environment that points skillgate
// and ask-cli at the simulator.
func printSimulatorEnv(env *Env, base, vendorID string) {
	fmt.Fprintf(env.Stdout, "# for skillgate:\n")
	for _, kv := range [][2]string{
		{"ASK_SMAPI_SERVER_BASE_URL", base},
		{"ASK_LWA_TOKEN_HOST", base},
		{"ASK_CLIENT_ID", simClientID},
		{"ASK_CLIENT_SECRET", simClientSecret},
		{"ASK_REFRESH_TOKEN", simRefreshToken},
		{"ASK_VENDOR_ID", vendorID},
	} {
		fmt.Fprintf(env.Stdout, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
	fmt.Fprintf(env.Stdout, "# for ask-cli v2 (it needs AWS credentials in the environment to use ASK_* ones; any value works):\n")
	for _, kv := range [][2]string{
		{"AWS_ACCESS_KEY_ID", "simulator"},
		{"AWS_SECRET_ACCESS_KEY", "simulator"},
	} {
		fmt.Fprintf(env.Stdout, "export %s=%s\n", kv[0], shellQuote(kv[1]))
	}
}

// serveSimulator serves srv on ln until ctx is done, then shuts it down
// gracefully.
func serveSimulator(ctx context.Context, env *Env, srv http.Handler, ln net.Listener) int {
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		fmt.Fprintf(env.Stderr, "skillgate simulator: %v\n", err)
		return ExitFailed
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		fmt.Fprintf(env.Stderr, "skillgate simulator: shutting down: %v\n", err)
		return ExitFailed
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(env.Stderr, "skillgate simulator: %v\n", err)
		return ExitFailed
	}
	fmt.Fprintf(env.Stderr, "skillgate simulator: stopped\n")
	return ExitOK
}

// checkLoopback refuses addresses other hosts could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w; use host:port such as 127.0.0.1:8080", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--addr %q is not a loopback address; use 127.0.0.1 or [::1], or pass --allow-remote to expose the simulator (it hands a token to anyone)", addr)
}

// preloadSkill adds a skill from a skill.json file or a package folder with
// its custom interaction models.
func preloadSkill(srv *smapitest.Server, path string) (string, error) {
	pkg, _, err := validate.Load(path)
	if err != nil {
		return "", err
	}
	id, err := srv.AddSkill("", pkg.Manifest.Raw)
	if err != nil {
		return "", fmt.Errorf("%s: %w", pkg.Manifest.Path, err)
	}
	for _, locale := range slices.Sorted(maps.Keys(pkg.Models)) {
		if err := srv.SetInteractionModel(id, "development", locale, pkg.Models[locale].Raw); err != nil {
			return "", fmt.Errorf("%s: %w", pkg.Models[locale].Path, err)
		}
	}
	return id, nil
}

// shellQuote quotes v for a POSIX shell when it needs it.
func shellQuote(v string) string {
	if v != "" && strings.Trim(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:") == "" {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
