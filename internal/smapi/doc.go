// Package smapi is a typed client for the Alexa Skill Management API (SMAPI)
// v1: skill manifests, status, listing, publications, certification,
// interaction models, account linking, enablement, and whole skill packages
// (upload to a pre-signed URL, import, export).
//
// Authentication and retries live in the client's transport, not in the
// methods: an oauth2 refresh-token grant against Login with Amazon (one
// token per client, fetched again on expiry and once when SMAPI refuses it
// early with 401), or a static access token; go-retryablehttp for 429
// (honouring Retry-After) and 5xx answers with exponential back-off and
// jitter; and a deadline on every attempt (Config.RequestTimeout, 30 s by
// default), up to the answer's last byte. Every method takes a context,
// returns a typed value, and reports failures as typed errors whose message
// says what the user should do next: *Error for SMAPI's answers, *LWAError
// for the token fetch, *TimeoutError for a server that did not answer,
// *NoETagError for a write refused before it was sent. Every write that
// replaces content takes a Precondition, the ETag of the read it is based
// on. Secrets never appear in errors or in the Debug output.
//
// The operations follow Amazon's reference pages and its published model
// (ask-smapi-model); each method names the operation it calls.
package smapi
