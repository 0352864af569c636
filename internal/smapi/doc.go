// Package smapi is a typed client for the Alexa Skill Management API (SMAPI)
// v1: skill manifests, status, listing, publications, certification,
// interaction models, account linking, enablement, and whole skill packages
// (upload to a pre-signed URL, import, export).
//
// Authentication and retries live in the client's transport, not in the
// methods: an oauth2 refresh-token grant against Login with Amazon (one
// token per client, fetched again on expiry and once when SMAPI refuses it
// early with 401), or a static access token; and go-retryablehttp for 429
// (honouring Retry-After)
// and 5xx answers with exponential back-off and jitter. Every method takes a
// context, returns a typed value, and reports SMAPI failures as *Error, whose
// message says what the user should do next. Secrets never appear in errors
// or in the Debug output.
//
// The operations follow Amazon's reference pages and its published model
// (ask-smapi-model); each method names the operation it calls.
package smapi
