package jsonfile

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestReadFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	small := filepath.Join(dir, "small.json")
	if err := os.WriteFile(small, []byte(`{"a": 1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		path  string
		limit int64
		want  error // nil: read
		text  string
	}{
		{"regular", small, 100, nil, ""},
		{"exactly the limit", small, 8, nil, ""},
		{"symlink to a regular file", link, 100, nil, ""},
		{"over the limit", small, 7, ErrTooLarge, "more than 7 bytes"},
		{"missing", filepath.Join(dir, "nope.json"), 100, fs.ErrNotExist, ""},
		{"folder", dir, 100, ErrNotRegular, "a folder"},
	}
	if runtime.GOOS != "windows" {
		tests = append(tests, struct {
			name  string
			path  string
			limit int64
			want  error
			text  string
		}{"device", os.DevNull, 100, ErrNotRegular, "device"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := ReadFile(tt.path, tt.limit)
			if tt.want == nil {
				if err != nil || string(raw) != `{"a": 1}` {
					t.Fatalf("ReadFile() = %q, %v", raw, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.path) || !strings.Contains(err.Error(), tt.text) {
				t.Fatalf("ReadFile() error = %v, want %v naming %s and saying %q", err, tt.want, tt.path, tt.text)
			}
		})
	}
}

// TestReadFileFIFO: a named pipe with no writer would block a plain open or
// read forever; ReadFile refuses it at once.
func TestReadFileFIFO(t *testing.T) {
	t.Parallel()
	fifo := filepath.Join(t.TempDir(), "skill.json")
	if err := mkfifo(fifo); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadFile(fifo, 1<<20)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), fifo) {
			t.Fatalf("ReadFile(fifo) error = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ReadFile blocked on a named pipe")
	}
}

// TestReadFileSocket: a socket cannot even be opened; the error says what
// it is.
func TestReadFileSocket(t *testing.T) {
	t.Parallel()
	sock := filepath.Join(t.TempDir(), "s.json")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Skipf("no Unix sockets here: %v", err)
	}
	defer l.Close()
	_, err = ReadFile(sock, 1<<20)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a socket") || !strings.Contains(err.Error(), sock) {
		t.Fatalf("ReadFile(socket) error = %v", err)
	}
}

// TestReadFileDevZero: a device that never ends is refused, not read until
// memory runs out.
func TestReadFileDevZero(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := ReadFile("/dev/zero", 1<<20)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "/dev/zero") {
		t.Fatalf("ReadFile(/dev/zero) error = %v", err)
	}
}
