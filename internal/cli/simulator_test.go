package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer lets the test read what the running command has printed.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestSimulatorServes runs the command, uses the printed environment to get a
// token and read a preloaded skill, then cancels the context as SIGINT does.
func TestSimulatorServes(t *testing.T) {
	dir := t.TempDir()
	skillFile := filepath.Join(dir, "skill.json")
	if err := os.WriteFile(skillFile, []byte(`{"manifest": {"manifestVersion": "1.0"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- runSimulator(ctx, &Env{Stdout: &stdout, Stderr: &stderr},
			[]string{"--skill", skillFile, "--addr", "127.0.0.1:0", "--build-time", "10ms"})
	}()

	env := map[string]string{}
	lineRE := regexp.MustCompile(`(?m)^export (\w+)=(\S+)$`)
	deadline := time.Now().Add(10 * time.Second)
	for len(env) < 8 && time.Now().Before(deadline) {
		for _, m := range lineRE.FindAllStringSubmatch(stdout.String(), -1) {
			env[m[1]] = m[2]
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(env) < 8 {
		t.Fatalf("environment lines: %v\nstdout: %s\nstderr: %s", env, stdout.String(), stderr.String())
	}
	id := regexp.MustCompile(`# skill (\S+) from `).FindStringSubmatch(stdout.String())
	if id == nil {
		t.Fatalf("no skill line in %s", stdout.String())
	}

	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {env["ASK_REFRESH_TOKEN"]},
		"client_id": {env["ASK_CLIENT_ID"]}, "client_secret": {env["ASK_CLIENT_SECRET"]}}
	resp, err := http.PostForm(env["ASK_LWA_TOKEN_HOST"]+"/auth/o2/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("token: %v %+v", err, tok)
	}
	req, _ := http.NewRequest("GET", env["ASK_SMAPI_SERVER_BASE_URL"]+"/v1/skills/"+id[1]+"/stages/development/manifest", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" {
		t.Errorf("GET manifest: %d %v", resp.StatusCode, resp.Header)
	}

	cancel()
	select {
	case code := <-done:
		if code != ExitOK || !strings.Contains(stderr.String(), "stopped") {
			t.Errorf("exit %d, stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("simulator did not stop after cancel")
	}
}

func TestCheckLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:0": true, "localhost:8080": true, "[::1]:80": true, "127.1.2.3:9": true,
		"0.0.0.0:80": false, ":80": false, "[::]:80": false, "192.168.1.2:80": false, "example.com:80": false, "nope": false,
	} {
		if err := checkLoopback(addr); (err == nil) != ok {
			t.Errorf("checkLoopback(%q) = %v, want ok=%v", addr, err, ok)
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:80": "http://127.0.0.1:80", "": "''", "a b": "'a b'", "it's": `'it'\''s'`, "Atzr|x": "'Atzr|x'",
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestSimulatorBadFlagValues: an address that cannot be listened on (a port
// taken or out of range) and a negative duration are usage errors, exit 2,
// like every other bad flag (the address was exit 1; a negative duration
// was taken silently).
func TestSimulatorBadFlagValues(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", taken.Addr().String()}, "pick another --addr"},
		{[]string{"--addr", "127.0.0.1:99999"}, "pick another --addr"},
		{[]string{"--build-time", "-1s"}, "--build-time -1s: give a duration of 0 or more"},
		{[]string{"--certification-time", "-2s"}, "--certification-time -2s"},
		{[]string{"--publication-time", "-1ms"}, "--publication-time -1ms"},
		{[]string{"--for", "-1s"}, "--for -1s"},
	} {
		var out, errb bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		code := Run(ctx, append([]string{"simulator"}, tc.args...), &Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		cancel()
		if code != ExitUsage || !strings.Contains(errb.String(), tc.want) {
			t.Errorf("simulator %v: exit %d, stderr %q; want %d and %q", tc.args, code, errb.String(), ExitUsage, tc.want)
		}
	}
}
