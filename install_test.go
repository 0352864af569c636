package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The Action's install step (action/install.sh) run against a release
// served from a loopback server: archives for the six targets and
// checksums.txt, as GoReleaser names them. Each archive holds a stand-in
// skillgate (a shell script) that reports the release version and its
// target, so the test sees which archive was installed.

const testRelease = "v1.2.3"

type release struct {
	files map[string][]byte // name -> bytes, as served under /<tag>/
}

func newRelease(t *testing.T, tag string) *release {
	t.Helper()
	r := &release{files: map[string][]byte{}}
	var sums []string
	for _, target := range []string{"linux/amd64", "linux/arm64", "darwin/amd64", "darwin/arm64", "windows/amd64", "windows/arm64"} {
		goos, goarch, _ := strings.Cut(target, "/")
		script := fmt.Sprintf("#!/bin/sh\necho 'skillgate %s'\necho 'target %s'\n", tag, target)
		name := fmt.Sprintf("skillgate_%s_%s_%s", strings.TrimPrefix(tag, "v"), goos, goarch)
		var data []byte
		if goos == "windows" {
			name += ".zip"
			data = zipOf(t, "skillgate.exe", script)
		} else {
			name += ".tar.gz"
			data = tarGzOf(t, "skillgate", script)
		}
		r.files[name] = data
		sums = append(sums, fmt.Sprintf("%x  %s", sha256.Sum256(data), name))
	}
	sort.Strings(sums)
	r.files["checksums.txt"] = []byte(strings.Join(sums, "\n") + "\n")
	return r
}

func tarGzOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, f := range []struct{ name, body string }{{"README.md", "# skillgate\n"}, {name, content}} {
		if err := tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o755, Size: int64(len(f.body)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipOf(t *testing.T, name, content string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create(name)
	if err == nil {
		_, err = w.Write([]byte(content))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// serve serves r under /<tag>/ like GitHub's release downloads and
// returns the base URL.
func (r *release) serve(t *testing.T, tag string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		name, ok := strings.CutPrefix(req.URL.Path, "/"+tag+"/")
		data, found := r.files[name]
		if !ok || !found {
			http.NotFound(w, req)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

type installRun struct {
	code            int
	stderr, output  string // output: what the step wrote to GITHUB_OUTPUT
	binPath, pathed string // path= output, GITHUB_PATH line
}

// install runs a copy of action/install.sh whose action/version says
// testRelease, with committed (when not empty) as its action/checksums.txt.
func install(t *testing.T, base, runnerOS, runnerArch, committed string) installRun {
	t.Helper()
	dir := t.TempDir()
	act := filepath.Join(dir, "action")
	script, err := os.ReadFile(filepath.Join("action", "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	writeTestFile(t, filepath.Join(act, "install.sh"), string(script))
	writeTestFile(t, filepath.Join(act, "version"), testRelease+"\n")
	if committed != "" {
		writeTestFile(t, filepath.Join(act, "checksums.txt"), committed)
	}
	runnerTemp := filepath.Join(dir, "runner-temp")
	outFile, pathFile := filepath.Join(dir, "output"), filepath.Join(dir, "path")
	writeTestFile(t, outFile, "")
	writeTestFile(t, pathFile, "")
	if err := os.MkdirAll(runnerTemp, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", filepath.Join(act, "install.sh"))
	cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"),
		"RUNNER_OS=" + runnerOS, "RUNNER_ARCH=" + runnerArch, "RUNNER_TEMP=" + runnerTemp,
		"GITHUB_OUTPUT=" + outFile, "GITHUB_PATH=" + pathFile,
		"SKILLGATE_DOWNLOAD_URL=" + base,
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err = cmd.Run()
	run := installRun{stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		run.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	out, _ := os.ReadFile(outFile)
	pathed, _ := os.ReadFile(pathFile)
	run.output, run.pathed = string(out), strings.TrimSpace(string(pathed))
	run.binPath = strings.TrimSpace(strings.TrimPrefix(run.output, "path="))
	return run
}

func writeTestFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func requireInstallTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"bash", "curl", "tar", "unzip", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("the install step needs %s, which this machine lacks", tool)
		}
	}
}

func TestInstallPicksTheRunnersArchive(t *testing.T) {
	requireInstallTools(t)
	t.Parallel()
	rel := newRelease(t, testRelease)
	base := rel.serve(t, testRelease)
	for _, tc := range []struct {
		runnerOS, runnerArch, target, exe string
	}{
		{"Linux", "X64", "linux/amd64", "skillgate"},
		{"Linux", "ARM64", "linux/arm64", "skillgate"},
		{"macOS", "ARM64", "darwin/arm64", "skillgate"},
		{"Windows", "X64", "windows/amd64", "skillgate.exe"},
	} {
		t.Run(tc.target, func(t *testing.T) {
			t.Parallel()
			run := install(t, base, tc.runnerOS, tc.runnerArch, "")
			if run.code != 0 {
				t.Fatalf("install failed (exit %d):\n%s", run.code, run.stderr)
			}
			if filepath.Base(run.binPath) != tc.exe || filepath.Dir(run.binPath) != run.pathed {
				t.Fatalf("path output %q, GITHUB_PATH %q: want %s in the folder added to PATH", run.binPath, run.pathed, tc.exe)
			}
			out, err := exec.Command(run.binPath).Output()
			if err != nil {
				t.Fatal(err)
			}
			if want := "skillgate " + testRelease + "\ntarget " + tc.target + "\n"; string(out) != want {
				t.Errorf("the installed binary says %q, want %q", out, want)
			}
			left, _ := filepath.Glob(filepath.Join(filepath.Dir(run.binPath), "*"))
			if len(left) != 1 {
				t.Errorf("the install folder holds %v, want only the binary", left)
			}
		})
	}
}

func TestInstallRefuses(t *testing.T) {
	requireInstallTools(t)
	t.Parallel()
	const linuxAMD64 = "skillgate_1.2.3_linux_amd64.tar.gz"
	good := newRelease(t, testRelease)
	other := newRelease(t, "v1.2.4") // a different build, its own checksums
	for _, tc := range []struct {
		name       string
		change     func(r *release)
		runnerArch string
		committed  string // action/checksums.txt at the pinned commit
		want       string
	}{
		{
			name:   "an archive that does not match checksums.txt",
			change: func(r *release) { r.files[linuxAMD64] = other.files["skillgate_1.2.4_linux_amd64.tar.gz"] },
			want:   linuxAMD64 + " does not match its checksum (want sha256 ",
		},
		{
			name: "archive and checksums.txt both replaced after the commit recorded them",
			change: func(r *release) {
				r.files[linuxAMD64] = other.files["skillgate_1.2.4_linux_amd64.tar.gz"]
				r.files["checksums.txt"] = []byte(fmt.Sprintf("%x  %s\n", sha256.Sum256(r.files[linuxAMD64]), linuxAMD64))
			},
			committed: string(good.files["checksums.txt"]),
			want:      "refusing a release that changed after it was published",
		},
		{
			name: "an archive whose binary reports another version",
			change: func(r *release) {
				r.files[linuxAMD64] = tarGzOf(t, "skillgate", "#!/bin/sh\necho 'skillgate v0.9.0'\n")
				r.files["checksums.txt"] = []byte(fmt.Sprintf("%x  %s\n", sha256.Sum256(r.files[linuxAMD64]), linuxAMD64))
			},
			want: `holds a binary that reports "skillgate v0.9.0", not "skillgate v1.2.3"`,
		},
		{
			name:   "checksums.txt without the archive",
			change: func(r *release) { r.files["checksums.txt"] = []byte("00  skillgate_1.2.3_darwin_amd64.tar.gz\n") },
			want:   "the release's checksums.txt does not list " + linuxAMD64,
		},
		{
			name:   "a release without the archive",
			change: func(r *release) { delete(r.files, linuxAMD64) },
			want:   "/" + testRelease + "/" + linuxAMD64 + " failed",
		},
		{
			name:       "a runner architecture without a build",
			runnerArch: "X86",
			want:       `no skillgate release for the runner architecture "X86"`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rel := newRelease(t, testRelease)
			if tc.change != nil {
				tc.change(rel)
			}
			arch := tc.runnerArch
			if arch == "" {
				arch = "X64"
			}
			run := install(t, rel.serve(t, testRelease), "Linux", arch, tc.committed)
			if run.code == 0 {
				t.Fatalf("install succeeded, want a refusal containing %q", tc.want)
			}
			if !strings.Contains(run.stderr, "::error title=skillgate install::") || !strings.Contains(run.stderr, tc.want) {
				t.Errorf("stderr:\n%s\nwant an ::error:: annotation containing %q", run.stderr, tc.want)
			}
			if run.output != "" || run.pathed != "" {
				t.Errorf("a refused install wrote outputs %q and PATH %q", run.output, run.pathed)
			}
		})
	}
}

// TestInstallWithCommittedChecksums: the Action commit the major tag points
// at records the release's checksums; a release that still matches them
// installs.
func TestInstallWithCommittedChecksums(t *testing.T) {
	requireInstallTools(t)
	t.Parallel()
	rel := newRelease(t, testRelease)
	run := install(t, rel.serve(t, testRelease), "Linux", "X64", string(rel.files["checksums.txt"]))
	if run.code != 0 || run.binPath == "" {
		t.Fatalf("install failed (exit %d):\n%s", run.code, run.stderr)
	}
}
