//go:build unix

package jsonfile

import (
	"os"
	"syscall"
)

// openFlags opens without blocking: opening a named pipe with no writer
// would otherwise wait for one. It changes nothing for a regular file.
const openFlags = os.O_RDONLY | syscall.O_NONBLOCK
