//go:build !unix

package jsonfile

import "os"

// openFlags is a plain read-only open: opening does not wait on a pipe
// outside Unix, and ReadFile checks the file type before reading.
const openFlags = os.O_RDONLY
