package smapi

import (
	"context"
	"time"
)

// poll runs step on opts.Schedule until it reports done or fails, calling
// opts.OnProgress when the states change and at least every heartbeat. A
// context that ends (or opts.Timeout) becomes a *WaitTimeoutError naming
// the states still pending.
func poll(ctx context.Context, opts WaitOptions, step func(context.Context) (states []ResourceState, done bool, err error)) error {
	start := time.Now()
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}
	heartbeat := opts.Heartbeat
	if heartbeat <= 0 {
		heartbeat = 30 * time.Second
	}
	var (
		wait       time.Duration
		last       []ResourceState
		reportedAt time.Time
	)
	for {
		states, done, err := step(ctx)
		if err != nil && !done {
			if ctx.Err() != nil && last != nil {
				return &WaitTimeoutError{Pending: pending(last), Elapsed: time.Since(start), Err: ctx.Err()}
			}
			return err
		}
		changed := !sameStates(states, last)
		if opts.OnProgress != nil && (changed || time.Since(reportedAt) >= heartbeat) {
			opts.OnProgress(Progress{Elapsed: time.Since(start), States: states, Changed: changed})
			reportedAt = time.Now()
		}
		last = states
		if done {
			return err
		}
		wait = opts.Schedule.Next(wait)
		if err := sleepCtx(ctx, wait); err != nil {
			return &WaitTimeoutError{Pending: pending(states), Elapsed: time.Since(start), Err: err}
		}
	}
}
