// Package deploy is what runs when a pull request merges: it makes a fresh
// plan (internal/plan: the live development manifest and each locale's
// interaction model with their ETags, compared with the repository's),
// checks it against the marker of the plan shown on the pull request (the
// drift guard), updates what changed with If-Match (the manifest, then
// each changed locale), waits for every build on the one polling schedule
// (docs/architecture.md, "Waiting on the build"), optionally submits for
// certification or publication, and renders the deployment summary.
//
// The promises it keeps (docs/architecture.md, "Promises"): every PUT
// carries the ETag just read (a read without one is read again, then the
// deploy refuses), a 412 is never retried, a drift from the plan refuses
// unless drift is warn or ignore, no change means no PUT (and NO_CHANGES
// only over a build that is not in progress or failed), an interrupt says
// what SMAPI accepted, and nothing it prints holds a secret (it never sees
// one: credentials live in the smapi client).
package deploy
