package smapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/skillgate/skillgate/internal/truncate"
)

// MaxPackageDownload caps an exported package read from its pre-signed
// location: far above any package SMAPI accepts (see the validator's
// package size rule), low enough that a wrong URL cannot fill the memory.
const MaxPackageDownload = 256 << 20

// UploadURL is where a skill package zip is uploaded before an import.
type UploadURL struct {
	// URL is a pre-signed URL: its query is the credential, so it is
	// treated as a secret (redacted from errors and the Debug output).
	URL string `json:"uploadUrl"`
	// ExpiresAt is when the URL stops accepting the upload.
	ExpiresAt time.Time `json:"expiresAt"`
}

// CreateUploadURL asks for a pre-signed URL to upload a skill package to
// (POST /v1/skills/uploads, createUploadUrlV1).
func (c *Client) CreateUploadURL(ctx context.Context) (*UploadURL, error) {
	// No body: the model declares none. A POST is not retried on 5xx, so
	// an upload URL is never created twice by this client.
	r, err := c.do(ctx, call{op: "CreateUploadURL", method: http.MethodPost, path: "/v1/skills/uploads", ok: []int{http.StatusCreated}})
	if err != nil {
		return nil, err
	}
	var u UploadURL
	if err := json.Unmarshal(r.body, &u); err != nil || u.URL == "" {
		return nil, fmt.Errorf("smapi CreateUploadURL: SMAPI sent no uploadUrl (%s); try again", c.redact.String(truncate.Ellipsis(string(r.body), maxQuoted)))
	}
	if _, err := c.presignedURL("CreateUploadURL", u.URL); err != nil {
		return nil, err
	}
	return &u, nil
}

// UploadPackage PUTs a skill package zip to a pre-signed URL from
// CreateUploadURL. The URL carries its own credential, so no Authorization
// header is sent. A retry (5xx, no answer) sends the very same bytes: the
// zip is copied before the first attempt and never re-read from the caller.
func (c *Client) UploadPackage(ctx context.Context, u *UploadURL, zip []byte) error {
	const op = "UploadPackage"
	if u == nil || u.URL == "" {
		return errors.New("smapi UploadPackage: no upload URL; call CreateUploadURL first")
	}
	pu, err := c.presignedURL(op, u.URL)
	if err != nil {
		return err
	}
	if !u.ExpiresAt.IsZero() && time.Now().After(u.ExpiresAt) {
		return fmt.Errorf("smapi UploadPackage: the upload URL expired at %s; request a new one", u.ExpiresAt.UTC().Format(time.RFC3339))
	}
	body := bytes.Clone(zip)
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodPut, pu.String(), body)
	if err != nil {
		return fmt.Errorf("smapi UploadPackage: building the request: %s", c.redact.String(err.Error()))
	}
	req.ContentLength = int64(len(body))
	resp, err := c.presigned().Do(req)
	if err != nil {
		return c.presignedError(ctx, op, pu, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorSize))
	if resp.StatusCode/100 != 2 {
		e := newError(op, pu.Path, resp, data, c.redact)
		return fmt.Errorf("%w. The upload URL may have expired or been used already: request a new one and upload again", e)
	}
	return nil
}

// DownloadPackage reads an exported skill package from the pre-signed
// location of GetExportStatus, without Authorization, capped at
// MaxPackageDownload.
func (c *Client) DownloadPackage(ctx context.Context, location string) ([]byte, error) {
	const op = "DownloadPackage"
	pu, err := c.presignedURL(op, location)
	if err != nil {
		return nil, err
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, pu.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("smapi DownloadPackage: building the request: %s", c.redact.String(err.Error()))
	}
	resp, err := c.presigned().Do(req)
	if err != nil {
		return nil, c.presignedError(ctx, op, pu, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorSize))
		e := newError(op, pu.Path, resp, data, c.redact)
		return nil, fmt.Errorf("%w. The export location may have expired: export the package again", e)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxPackageDownload+1))
	if err != nil {
		return nil, fmt.Errorf("smapi DownloadPackage %s: reading the package: %s", pu.Path, c.redact.String(err.Error()))
	}
	if len(data) > MaxPackageDownload {
		return nil, fmt.Errorf("smapi DownloadPackage %s: the package is larger than %d MiB; refusing to read it", pu.Path, MaxPackageDownload>>20)
	}
	return data, nil
}

// presignedURL checks a pre-signed URL and teaches its query (the
// signature) to the redactor.
func (c *Client) presignedURL(op, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("smapi %s: SMAPI sent %q, which is not an http(s) URL; try again or report it", op, c.redact.String(raw))
	}
	c.redact.add(u.RawQuery)
	return u, nil
}

// presigned is the client for pre-signed URLs: the configured transport
// with the Debug trace and the retry policy, but none of the SMAPI
// authentication, and no redirects followed.
func (c *Client) presigned() *retryablehttp.Client {
	base := c.cfg.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	return retryingClient(&http.Client{
		Transport:     &attemptTransport{base: rt, debug: c.cfg.Debug, redact: c.redact},
		CheckRedirect: noRedirect,
		Timeout:       base.Timeout,
	}, c.cfg.Retry)
}

func (c *Client) presignedError(ctx context.Context, op string, u *url.URL, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return fmt.Errorf("smapi %s %s: %w", op, u.Path, ctxErr)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("smapi %s %s: no answer from %s; check the network: %w",
		op, u.Path, u.Host, redactedError{msg: c.redact.String(err.Error()), err: err})
}
