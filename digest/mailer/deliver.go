package mailer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// Renderer builds the personalized message for one subscriber. To and
// ToName default to the subscriber's address and name when left empty.
type Renderer func(ctx context.Context, sub digest.Subscriber) (Message, error)

// Stats counts the outcomes of one Deliver run.
type Stats struct {
	Sent    int // accepted by the relay
	Failed  int // permanently: 5xx, unsendable message, or out of attempts
	Retried int // temporarily failed; queued again for later
	Skipped int // subscriber gone, unsubscribed or paused: marked failed, never sent
}

// ReasonUnsubscribed is the delivery error recorded for subscribers who
// left (or paused) between enqueueing and sending.
const ReasonUnsubscribed = "unsubscribed before send"

// Deliver sends issue n's due deliveries from st through snd, with
// cfg.Connections messages in flight, recording each outcome as soon as it
// is known. It returns when nothing more is claimable; deliveries waiting
// for a retry time are left for a later run (Stats.Retried > 0 or
// QueueStats.Pending say so). On ctx's end it stops claiming, lets the
// messages in flight finish, returns the claimed but unsent ones to the
// queue, and returns ctx.Err(). When no server can be reached, or the relay
// answers 5xx to anything but the recipient's address (the sender, the
// password, the content), it stops the same way and returns that error:
// every further message would fail alike, and failing them all for good,
// or counting bounces against their subscribers, would be wrong.
//
// progress, if not nil, gets the running totals after every outcome; calls
// are serialized and hold up the workers, so it should be quick.
func Deliver(ctx context.Context, st digest.Store, snd *Sender, n int, render Renderer, cfg Config, progress func(Stats)) (Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	w := &worker{
		st: st, snd: snd, render: render, cfg: cfg, progress: progress,
		ctx: ctx, bg: context.WithoutCancel(ctx), stopped: make(chan struct{}),
	}
	batch := 2 * cfg.Connections
	// The lease must outlast the wait of a claimed message behind the
	// rest of its batch, paced, plus a stuck connection's timeouts.
	lease := cfg.Lease + time.Duration(2*batch)*snd.pace.interval

	// One batch may wait in the channel, so the next claim overlaps with
	// sending instead of leaving the connections idle.
	jobs := make(chan digest.Delivery, batch)
	var wg sync.WaitGroup
	for range cfg.Connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range jobs {
				w.deliver(d)
			}
		}()
	}

claim:
	for ctx.Err() == nil && !w.isStopped() {
		ds, err := st.ClaimDeliveries(ctx, n, batch, lease)
		if err != nil {
			if ctx.Err() == nil {
				w.stop(fmt.Errorf("mailer: issue %d: %w", n, err))
			}
			break
		}
		if len(ds) == 0 {
			break
		}
		for i, d := range ds {
			select {
			case jobs <- d:
			case <-ctx.Done():
				w.release(ds[i:])
				break claim
			case <-w.stopped:
				w.release(ds[i:])
				break claim
			}
		}
	}
	close(jobs)
	wg.Wait()

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.stats, w.err
	}
	return w.stats, ctx.Err()
}

type worker struct {
	st       digest.Store
	snd      *Sender
	render   Renderer
	cfg      Config
	progress func(Stats)
	ctx      context.Context // the caller's: ends sending
	bg       context.Context // for bookkeeping, which must outlive ctx

	mu       sync.Mutex
	stats    Stats
	err      error
	stopped  chan struct{}
	stopOnce sync.Once
}

// deliver makes one attempt at d and records its outcome.
func (w *worker) deliver(d digest.Delivery) {
	if w.ctx.Err() != nil || w.isStopped() {
		w.release([]digest.Delivery{d}) // claimed ahead, never started
		return
	}
	sub, err := w.st.Subscriber(w.bg, d.SubscriberID)
	if errors.Is(err, digest.ErrNotFound) || (err == nil && !sub.Receives()) {
		// A deleted subscriber's deliveries are deleted with them, so
		// the mark may find nothing; that is the same outcome.
		if err := w.st.MarkFailed(w.bg, d.ID, ReasonUnsubscribed); err != nil && !errors.Is(err, digest.ErrNotFound) {
			w.stop(fmt.Errorf("mailer: delivery %d: %w", d.ID, err))
		}
		w.count(func(s *Stats) { s.Skipped++ })
		return
	}
	if err != nil {
		w.stop(fmt.Errorf("mailer: delivery %d: %w", d.ID, err))
		w.release([]digest.Delivery{d})
		return
	}
	m, err := w.render(w.ctx, sub)
	if err != nil && w.ctx.Err() != nil {
		w.release([]digest.Delivery{d}) // interrupted, not broken
		return
	}
	if err != nil {
		w.retryOrFail(d, fmt.Errorf("render for subscriber %d: %w", sub.ID, err))
		return
	}
	if m.To == "" {
		m.To, m.ToName = sub.Email, sub.Name
	}
	id, err := w.snd.Send(w.ctx, m)
	var se *Error
	switch {
	case err == nil:
		w.check(d, w.st.MarkSent(w.bg, d.ID, id))
		w.count(func(s *Stats) { s.Sent++ })
	case w.ctx.Err() != nil && errors.Is(err, w.ctx.Err()):
		w.release([]digest.Delivery{d}) // never reached the relay
	case errors.Is(err, digest.ErrInvalid):
		w.check(d, w.st.MarkFailed(w.bg, d.ID, err.Error()))
		w.count(func(s *Stats) { s.Failed++ })
	case IsRecipientRejected(err):
		w.check(d, w.st.MarkFailed(w.bg, d.ID, err.Error()))
		w.count(func(s *Stats) { s.Failed++ })
		w.bounce(sub.ID)
	case errors.As(err, &se) && (se.Stage == StageConnect || IsPermanent(err)):
		// No relay reachable, or one refusing the sender or this issue's
		// content: not the subscriber's fault, and the next messages
		// would fare alike. Keep the delivery, without spending one of its
		// attempts (an outage must never fail a copy for good), and stop.
		w.check(d, w.st.Release(w.bg, d.ID, err.Error(), time.Now().Add(w.cfg.RetryBase)))
		w.count(func(s *Stats) { s.Retried++ })
		w.stop(err)
	default:
		w.retryOrFail(d, err)
	}
}

// retryOrFail queues d again after a backoff, or fails it for good once it
// has had cfg.MaxAttempts attempts.
func (w *worker) retryOrFail(d digest.Delivery, err error) {
	attempt := d.Attempts + 1
	if attempt >= w.cfg.MaxAttempts {
		w.check(d, w.st.MarkFailed(w.bg, d.ID, fmt.Sprintf("gave up after %d attempts: %v", attempt, err)))
		w.count(func(s *Stats) { s.Failed++ })
		return
	}
	w.check(d, w.st.MarkRetry(w.bg, d.ID, err.Error(), time.Now().Add(w.backoff(attempt))))
	w.count(func(s *Stats) { s.Retried++ })
}

// backoff is RetryBase doubled per attempt, capped at a day, with ±50%
// jitter so that a relay's hiccup does not bring every retry back at once.
func (w *worker) backoff(attempt int) time.Duration {
	d := w.cfg.RetryBase
	for i := 1; i < attempt && d < 24*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 24*time.Hour)
	return d/2 + rand.N(d)
}

// bounce counts a hard bounce and suppresses the subscriber at the limit.
func (w *worker) bounce(id int64) {
	sub, err := w.st.Subscriber(w.bg, id)
	if errors.Is(err, digest.ErrNotFound) {
		return
	}
	if err == nil {
		sub.HardBounces++
		if sub.HardBounces >= w.cfg.MaxHardBounces && sub.Status != digest.StatusUnsubscribed {
			sub.Status = digest.StatusSuppressed
		}
		err = w.st.UpdateSubscriber(w.bg, sub)
	}
	if err != nil && !errors.Is(err, digest.ErrNotFound) {
		w.stop(fmt.Errorf("mailer: record bounce of subscriber %d: %w", id, err))
	}
}

// release returns claimed deliveries that were not attempted to the queue,
// due now, without counting an attempt.
func (w *worker) release(ds []digest.Delivery) {
	now := time.Now()
	for _, d := range ds {
		if err := w.st.Release(w.bg, d.ID, "not attempted: sending stopped", now); err != nil && !errors.Is(err, digest.ErrNotFound) {
			w.stop(fmt.Errorf("mailer: release delivery %d: %w", d.ID, err))
		}
	}
}

// check stops the run when an outcome could not be recorded: going on
// would risk sending messages the store does not know about.
func (w *worker) check(d digest.Delivery, err error) {
	if err != nil {
		w.stop(fmt.Errorf("mailer: record outcome of delivery %d: %w", d.ID, err))
	}
}

func (w *worker) stop(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
	w.stopOnce.Do(func() { close(w.stopped) })
}

func (w *worker) isStopped() bool {
	select {
	case <-w.stopped:
		return true
	default:
		return false
	}
}

func (w *worker) count(f func(*Stats)) {
	w.mu.Lock()
	defer w.mu.Unlock()
	f(&w.stats)
	if w.progress != nil {
		w.progress(w.stats)
	}
}
