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

// Transport sends one message and returns its Message-ID: the one thing
// Deliver and the Outbox ask of a sender (listmonk's Messenger idea);
// *Sender is the SMTP implementation. Errors follow Sender.Send: *Error
// for SMTP failures (see IsRelayRefusal, IsRecipientRejected,
// IsPermanent), errors wrapping digest.ErrInvalid for messages that can
// never be sent, or ctx's error.
type Transport interface {
	Send(ctx context.Context, m Message) (messageID string, err error)
}

// HoldingTransport is a Transport that can hold a message just before it
// completes: SendBeforeEnd calls end (if not nil) once the content is
// written and before the final dot, when the relay cannot have accepted
// the message yet, and abandons the message, returning end's error
// wrapped, if end fails. Deliver uses it where the transport offers it
// (*Sender does) to finish a message only once the previous one on the
// connection is on record, so that a crash leaves at most one accepted
// message per connection unrecorded; over a plain Transport it waits for
// that record before sending.
type HoldingTransport interface {
	Transport
	SendBeforeEnd(ctx context.Context, m Message, end func() error) (messageID string, err error)
}

// *Sender must stay a HoldingTransport: without it, Deliver would quietly
// stop holding messages for the previous mark.
var _ HoldingTransport = (*Sender)(nil)

// Queue is the part of the store Deliver works from (digest.Store
// implements it).
type Queue interface {
	ClaimDeliveries(ctx context.Context, owner string, n int, limit int, lease time.Duration) ([]digest.Delivery, error)
	RenewClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error)
	MarkSentMany(ctx context.Context, marks []digest.SentMark) (missing []int64, err error)
	MarkRetry(ctx context.Context, id int64, errMsg string, next time.Time) error
	Release(ctx context.Context, id int64, errMsg string, next time.Time) error
	MarkFailed(ctx context.Context, id int64, errMsg string) error
	SubscribersByID(ctx context.Context, ids []int64) ([]digest.Subscriber, error)
	RecordHardBounce(ctx context.Context, id int64, max int) error
}

// MessageFunc builds the personalized message for one subscriber. To and
// ToName default to the subscriber's address and name when left empty.
// (The issue itself is rendered by render.Renderer, before any of this.)
type MessageFunc func(ctx context.Context, sub digest.Subscriber) (Message, error)

// Stats counts the outcomes of one Deliver run.
type Stats struct {
	Sent    int // accepted by the relay
	Failed  int // permanently: 5xx, unsendable message, or out of attempts
	Retried int // temporarily failed or refused by the relay; queued again for later
	Skipped int // subscriber gone, unsubscribed or paused: marked failed, never sent
}

// ReasonUnsubscribed is the delivery error recorded for subscribers who
// left (or paused) between enqueueing and sending.
const ReasonUnsubscribed = "unsubscribed before send"

// Deliver sends issue n's due deliveries from q through snd, with
// cfg.Connections messages in flight, recording each outcome as soon as it
// is known. It returns when nothing more is claimable; deliveries waiting
// for a retry time are left for a later run (Stats.Retried > 0 or
// QueueStats.Pending say so). While it runs, a heartbeat renews its claims
// every cfg.Lease/3, so another run takes them over only once this one has
// died (or lost the store) for a lease.
//
// On ctx's end it stops claiming, lets the messages in flight finish,
// returns the claimed but unsent ones to the queue, and returns ctx.Err().
// A refusal by the relay itself (no relay reachable, or every relay
// refusing the session or the sender, see IsRelayRefusal), or a 5xx to the
// content, is not the recipient's fault: the delivery goes back to the
// queue, due at once, without spending one of its attempts; when such
// refusals come 2×cfg.Connections in a row with no message accepted in
// between, Deliver stops the same way and returns the last one, since
// every further message would fare alike.
//
// progress, if not nil, gets the running totals after every outcome; calls
// are serialized and hold up the workers, so it should be quick.
func Deliver(ctx context.Context, q Queue, snd Transport, n int, render MessageFunc, cfg Config, progress func(Stats)) (Stats, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Stats{}, err
	}
	bg := context.WithoutCancel(ctx)
	w := &worker{
		q: q, snd: snd, render: render, cfg: cfg, progress: progress,
		ctx: ctx, bg: bg, stopped: make(chan struct{}),
		claims: newClaims(cfg.Lease, q.RenewClaims),
	}
	w.claims.start(bg)
	defer w.claims.close()
	// The heartbeat keeps renewing a claim until its mark is committed.
	w.marks = newRecorder(bg, q, cfg.Connections, w.claims.finish)
	// Claims come in batches that outlast a few rounds of every
	// connection, so the claim (and the subscribers' read that goes with
	// it) costs little per message.
	batch := claimBatch * cfg.Connections

	// Two batches may wait in the channel, so the next claim (and the
	// subscribers' read) overlaps with sending instead of leaving the
	// connections idle, even where a commit waits 10-30 ms for the disk.
	jobs := make(chan job, 2*batch)
	var wg sync.WaitGroup
	for range cfg.Connections {
		wg.Go(func() {
			// The mark of this connection's last accepted message, until
			// it is known to be committed.
			var last *pendingMark
			for j := range jobs {
				last = w.deliver(j, last)
			}
			if last != nil {
				w.checkMark(last)
			}
		})
	}

claim:
	for ctx.Err() == nil && !w.isStopped() {
		at := time.Now()
		ds, err := q.ClaimDeliveries(ctx, w.claims.owner, n, batch, cfg.Lease)
		if err != nil {
			if ctx.Err() == nil {
				w.stop(fmt.Errorf("mailer: issue %d: %w", n, err))
			}
			break
		}
		if len(ds) == 0 {
			break
		}
		for _, d := range ds {
			w.claims.add(at, d.ID)
		}
		js, err := w.withSubscribers(ds)
		if err != nil {
			w.stop(fmt.Errorf("mailer: issue %d: %w", n, err))
			w.release(ds)
			for _, d := range ds {
				w.claims.finish(d.ID)
			}
			break
		}
		for i, j := range js {
			select {
			case jobs <- j:
			case <-ctx.Done():
				w.releaseJobs(js[i:])
				break claim
			case <-w.stopped:
				w.releaseJobs(js[i:])
				break claim
			}
		}
	}
	close(jobs)
	wg.Wait()
	w.marks.close()

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.stats, w.err
	}
	return w.stats, ctx.Err()
}

type worker struct {
	q        Queue
	snd      Transport
	render   MessageFunc
	cfg      Config
	progress func(Stats)
	ctx      context.Context // the caller's: ends sending
	bg       context.Context // for bookkeeping, which must outlive ctx
	claims   *claims
	marks    *recorder

	mu       sync.Mutex
	stats    Stats
	refusals int // relay refusals since the last accepted message
	err      error
	stopped  chan struct{}
	stopOnce sync.Once
}

// claimBatch is how many deliveries per connection one claim takes.
const claimBatch = 16

// job is one claimed delivery with its subscriber as read at claim time;
// found is false when the subscriber is gone.
type job struct {
	d     digest.Delivery
	sub   digest.Subscriber
	found bool
}

// withSubscribers reads the subscribers of a batch of deliveries at once.
func (w *worker) withSubscribers(ds []digest.Delivery) ([]job, error) {
	ids := make([]int64, len(ds))
	for i, d := range ds {
		ids[i] = d.SubscriberID
	}
	subs, err := w.q.SubscribersByID(w.bg, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]digest.Subscriber, len(subs))
	for _, sub := range subs {
		byID[sub.ID] = sub
	}
	js := make([]job, len(ds))
	for i, d := range ds {
		sub, ok := byID[d.SubscriberID]
		js[i] = job{d: d, sub: sub, found: ok}
	}
	return js, nil
}

func (w *worker) releaseJobs(js []job) {
	for _, j := range js {
		w.release([]digest.Delivery{j.d})
		w.claims.finish(j.d.ID)
	}
}

// deliver makes one attempt at j's delivery and records its outcome. last
// is the mark of the connection's previous accepted message, if not yet
// known to be committed: the message is not completed (its final dot not
// sent) before that is, so that a crash leaves at most one accepted
// message per connection unrecorded. It returns the mark to wait for next.
func (w *worker) deliver(j job, last *pendingMark) (next *pendingMark) {
	next = last
	d, sub := j.d, j.sub
	handedOver := false // then the recorder ends the claim once the mark is committed
	defer func() {
		if !handedOver {
			w.claims.finish(d.ID)
		}
	}()
	if w.ctx.Err() != nil || w.isStopped() {
		w.release([]digest.Delivery{d}) // claimed ahead, never started
		return
	}
	if lost, err := w.claims.check(d.ID); lost || err != nil {
		// Another run holds it now, or nobody can tell: sending could
		// mail a second copy.
		if err != nil {
			w.stop(fmt.Errorf("mailer: delivery %d: %w", d.ID, err))
		}
		return
	}
	if !j.found || !sub.Receives() {
		// A deleted subscriber's deliveries are deleted with them, so
		// the mark may find nothing; that is the same outcome.
		if err := w.q.MarkFailed(w.bg, d.ID, ReasonUnsubscribed); err != nil && !errors.Is(err, digest.ErrNotFound) {
			w.stop(fmt.Errorf("mailer: delivery %d: %w", d.ID, err))
		}
		w.count(func(s *Stats) { s.Skipped++ })
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
	var (
		id      string
		lastErr error
	)
	if hs, ok := w.snd.(HoldingTransport); ok && last != nil {
		id, err = hs.SendBeforeEnd(w.ctx, m, func() error {
			if lastErr = last.wait(); lastErr != nil {
				return errMarkFailed
			}
			return nil
		})
	} else {
		if last != nil {
			lastErr = last.wait()
		}
		if lastErr == nil {
			id, err = w.snd.Send(w.ctx, m)
		}
	}
	if lastErr != nil || (last != nil && last.got) {
		// The previous mark is settled: it failed (and this message was
		// abandoned before its end, so it is not sent), or it is on record.
		next = nil
		if lastErr != nil {
			w.checkMark(last)
			w.release([]digest.Delivery{d})
			return
		}
	}
	switch judge(w.ctx, err) {
	case sent:
		if next != nil {
			// Not reached by the hook (which every composed message has):
			// settle the older mark before handing over this one.
			w.checkMark(next)
		}
		next = w.marks.sent(d.ID, id)
		handedOver = true
		w.count(func(s *Stats) { s.Sent++ })
		w.mu.Lock()
		w.refusals = 0 // the relay takes mail again
		w.mu.Unlock()
	case stopped:
		w.release([]digest.Delivery{d}) // never reached the relay
	case unsendable:
		w.check(d, w.q.MarkFailed(w.bg, d.ID, err.Error()))
		w.count(func(s *Stats) { s.Failed++ })
	case refused:
		w.check(d, w.q.MarkFailed(w.bg, d.ID, err.Error()))
		w.count(func(s *Stats) { s.Failed++ })
		w.bounce(sub.ID)
	case relayRefused:
		// Not the subscriber's fault: keep the delivery, without spending
		// one of its attempts (an outage or a throttle must never fail a
		// copy for good).
		w.check(d, w.q.Release(w.bg, d.ID, err.Error(), time.Now()))
		w.count(func(s *Stats) { s.Retried++ })
		w.relayRefused(err)
	default:
		w.retryOrFail(d, err)
	}
	return next
}

// outcome is what an attempt's error means for the message.
type outcome int

const (
	sent         outcome = iota
	stopped              // the caller stopped before the relay heard of it
	unsendable           // the message can never be sent as it is
	refused              // the recipient's address was refused for good
	relayRefused         // the relay refused itself or the content: not the recipient's doing
	temporary            // try this recipient again later
)

func judge(ctx context.Context, err error) outcome {
	switch {
	case err == nil:
		return sent
	case ctx.Err() != nil && errors.Is(err, ctx.Err()), errors.Is(err, ErrClosed):
		return stopped
	case errors.Is(err, digest.ErrInvalid):
		return unsendable
	case IsRecipientRejected(err):
		return refused
	case IsRelayRefusal(err), IsPermanent(err):
		// A 5xx for the content or for policy would meet every copy.
		return relayRefused
	default:
		return temporary
	}
}

// relayRefused stops the run once the relay has refused 2×Connections
// messages in a row: every worker has then seen it at least twice.
func (w *worker) relayRefused(err error) {
	w.mu.Lock()
	w.refusals++
	n := w.refusals
	w.mu.Unlock()
	if n >= 2*w.cfg.Connections {
		w.stop(err)
	}
}

// retryOrFail queues d again after a backoff, or fails it for good once it
// has had cfg.MaxAttempts attempts.
func (w *worker) retryOrFail(d digest.Delivery, err error) {
	attempt := d.Attempts + 1
	if attempt >= w.cfg.MaxAttempts {
		w.check(d, w.q.MarkFailed(w.bg, d.ID, fmt.Sprintf("gave up after %d attempts: %v", attempt, err)))
		w.count(func(s *Stats) { s.Failed++ })
		return
	}
	w.check(d, w.q.MarkRetry(w.bg, d.ID, err.Error(), time.Now().Add(backoff(w.cfg.RetryBase, attempt))))
	w.count(func(s *Stats) { s.Retried++ })
}

// backoff is base doubled per attempt, capped at a day, with ±50% jitter
// so that a relay's hiccup does not bring every retry back at once.
func backoff(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < 24*time.Hour; i++ {
		d *= 2
	}
	d = min(d, 24*time.Hour)
	return d/2 + rand.N(d)
}

// bounce counts a hard bounce and suppresses the subscriber at the limit,
// in one targeted write: an unsubscribe at the same moment stands.
func (w *worker) bounce(id int64) {
	err := w.q.RecordHardBounce(w.bg, id, w.cfg.MaxHardBounces)
	if err != nil && !errors.Is(err, digest.ErrNotFound) {
		w.stop(fmt.Errorf("mailer: record bounce of subscriber %d: %w", id, err))
	}
}

// release returns claimed deliveries that were not attempted to the queue,
// due now, without counting an attempt.
func (w *worker) release(ds []digest.Delivery) {
	now := time.Now()
	for _, d := range ds {
		if err := w.q.Release(w.bg, d.ID, "not attempted: sending stopped", now); err != nil && !errors.Is(err, digest.ErrNotFound) {
			w.stop(fmt.Errorf("mailer: release delivery %d: %w", d.ID, err))
		}
	}
}

// errMarkFailed abandons a message before its end when the previous
// message's mark could not be committed.
var errMarkFailed = errors.New("mailer: the previous message could not be recorded as sent")

// checkMark waits for a handed-over mark and stops the run if it failed.
func (w *worker) checkMark(p *pendingMark) {
	if err := p.wait(); err != nil {
		w.stop(fmt.Errorf("mailer: record outcome of delivery %d: %w", p.mark.ID, err))
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
