package smapi

import (
	"context"
	"time"
)

// poll runs step on opts.Schedule until it reports done or fails, calling
// opts.OnProgress when the states change and at least every heartbeat. A
// context that ends (or opts.Timeout) becomes a *WaitTimeoutError naming
// the states still pending. It is the one polling loop of every wait.
func poll(ctx context.Context, opts WaitOptions, step func(context.Context) (states []ResourceState, done bool, err error)) error {
	start := time.Now()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	var (
		wait       time.Duration
		last       []ResourceState
		reportedAt time.Time
	)
	ended := func(err error) error {
		return &WaitTimeoutError{Pending: pending(last), Elapsed: time.Since(start), Err: err}
	}
	if opts.WaitFirst {
		wait = opts.Schedule.Next(wait)
		if err := Sleep(ctx, wait); err != nil {
			return ended(err)
		}
	}
	for {
		states, done, err := step(ctx)
		answered := err == nil || done // a FAILED build is an answer too
		switch {
		case answered:
		case ctx.Err() != nil:
			return ended(ctx.Err())
		case opts.KeepPolling == nil || !opts.KeepPolling(err):
			return err
		default:
			states = last // nothing new to report
		}
		changed := !sameStates(states, last)
		if opts.OnProgress != nil && answered && (changed || time.Since(reportedAt) >= opts.Schedule.heartbeat()) {
			opts.OnProgress(Progress{Elapsed: time.Since(start), States: states, Changed: changed})
			reportedAt = time.Now()
		}
		last = states
		if done {
			return err
		}
		wait = opts.Schedule.Next(wait)
		if err := Sleep(ctx, wait); err != nil {
			return ended(err)
		}
	}
}
