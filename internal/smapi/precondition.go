package smapi

import (
	"fmt"
	"net/http"
)

// Precondition is what a write is based on: the ETag of the read whose
// content it changes, or the knowledge that the read found no such resource
// (a new locale's model, a skill without account linking). Every write that
// replaces a resource takes one, so no write can be sent by accident without
// the If-Match of the read it is based on.
//
// The zero Precondition, and IfMatch(""), stand for a read that came back
// without an ETag: the client refuses such a write with a *NoETagError
// before sending anything.
type Precondition struct {
	etag   string
	absent bool
}

// IfMatch is a write based on a read that answered with etag.
func IfMatch(etag string) Precondition { return Precondition{etag: etag} }

// IfAbsent is a write that creates a resource the read found missing (404):
// there is no version to name, so no If-Match is sent.
func IfAbsent() Precondition { return Precondition{absent: true} }

// ETag is the If-Match the write carries; empty for IfAbsent.
func (p Precondition) ETag() string { return p.etag }

// String describes p for progress lines: the ETag, or that none applies.
func (p Precondition) String() string {
	switch {
	case p.absent:
		return "(none: creating)"
	case p.etag == "":
		return "(no ETag)"
	}
	return p.etag
}

// NoETagError is a write refused before it was sent because the read it is
// based on carried no ETag: without If-Match, SMAPI would overwrite whatever
// is live, including a change made since the read.
type NoETagError struct {
	Operation string // the write, e.g. "UpdateManifest"
	Path      string
}

func (e *NoETagError) Error() string {
	return fmt.Sprintf("smapi %s %s: no ETag to send as If-Match (SMAPI sent none with the read this write is based on), so nothing was written; "+
		"read the resource again and retry, and if SMAPI keeps answering without an ETag, report it", e.Operation, e.Path)
}

// checkPrecondition is the rule every write path goes through (do calls it
// for every request): a PUT that sends content, or any call that names a
// precondition (a package import), leaves only with the If-Match of its
// read, or as a create. A PUT without a body (enabling a skill) replaces
// no content and needs none.
func checkPrecondition(k call) error {
	if k.pre == nil {
		if k.method == http.MethodPut && k.body != nil {
			return &NoETagError{Operation: k.op, Path: k.path}
		}
		return nil
	}
	if !k.pre.absent && k.pre.etag == "" {
		return &NoETagError{Operation: k.op, Path: k.path}
	}
	return nil
}
