package mailer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/weeklywrap/digest/digest"
)

// NoticeQueue is the part of the store the outbox keeps its notices in
// (digest.Store implements it).
type NoticeQueue interface {
	EnqueueNotice(ctx context.Context, n digest.Notice, every time.Duration) (digest.Notice, bool, error)
	ClaimNotices(ctx context.Context, owner string, limit int, lease time.Duration) ([]digest.Notice, error)
	RenewNoticeClaims(ctx context.Context, owner string, lease time.Duration) ([]int64, error)
	MarkNoticeSent(ctx context.Context, id int64, messageID string) error
	MarkNoticeRetry(ctx context.Context, id int64, errMsg string, next time.Time) error
	ReleaseNotice(ctx context.Context, id int64, errMsg string, next time.Time) error
	MarkNoticeFailed(ctx context.Context, id int64, errMsg string) error
	PruneNotices(ctx context.Context, before time.Time) (int, error)
}

// Outbox sends every mail that is not an issue (confirmations, welcomes,
// the editors' review mails) from a queue in the store, so that none is
// lost to a relay's hiccup or a restart: Add stores a message, Run sends
// what is due as it comes and retries temporary failures with backoff
// (cfg.RetryBase doubling, at most cfg.MaxAttempts attempts), and Drain
// sends what is due before shutdown. The rules are the deliveries': a
// refusal of the relay itself (see IsRelayRefusal) never counts against
// the notice, and the Sender has already moved it to the next relay.
//
// Several processes sharing a store may run outboxes at once: notices are
// claimed with a heartbeat like deliveries, and each goes out once.
type Outbox struct {
	q   NoticeQueue
	snd Transport
	cfg Config
	log *slog.Logger
	// Poll is how often Run looks for notices that fell due without an
	// Add in this process (retries, other instances); default 15 seconds.
	Poll time.Duration
	// Keep is how long sent and failed notices stay listed (the per-address
	// allowance reads them); default 30 days.
	Keep time.Duration

	wake chan struct{}
}

// NewOutbox checks cfg and returns an outbox sending through snd.
func NewOutbox(q NoticeQueue, snd Transport, cfg Config, log *slog.Logger) (*Outbox, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	return &Outbox{q: q, snd: snd, cfg: cfg, log: log, Poll: 15 * time.Second, Keep: 30 * 24 * time.Hour,
		wake: make(chan struct{}, 1)}, nil
}

// Add stores m as a notice of kind ("confirm", "welcome", "review", ...)
// and wakes Run. subscriberID ties it to a subscriber (erasing them erases
// it); 0 when the recipient is not on the list. With every > 0 at most one
// notice of kind goes to m.To per every: Add is a no-op returning false
// while one is waiting or was sent within every (one that failed for good
// does not count). A message that can never be sent (a header with a line
// break, no body) is refused here with an error wrapping
// digest.ErrInvalid, before anything is stored.
func (o *Outbox) Add(ctx context.Context, kind string, subscriberID int64, m Message, every time.Duration) (bool, error) {
	if _, _, err := compose(o.cfg, m, nil); err != nil {
		return false, fmt.Errorf("outbox: %s notice: %w", kind, err)
	}
	_, queued, err := o.q.EnqueueNotice(ctx, digest.Notice{Kind: kind, SubscriberID: subscriberID, To: m.To, ToName: m.ToName,
		Subject: m.Subject, HTML: m.HTML, Text: m.Text, UnsubscribeURL: m.UnsubscribeURL, Headers: m.Headers}, every)
	if err != nil {
		return false, fmt.Errorf("outbox: %w", err)
	}
	if queued {
		select {
		case o.wake <- struct{}{}:
		default:
		}
	}
	return queued, nil
}

// Run sends notices as they become due until ctx ends; it does not drain
// at the end (call Drain with a deadline for that).
func (o *Outbox) Run(ctx context.Context) {
	var pruned time.Time
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-o.wake:
		case <-t.C:
		}
		if st, err := o.Drain(ctx); err != nil && ctx.Err() == nil {
			o.log.Warn("outbox: sending stopped; the notices wait for the next pass", "sent", st.Sent, "error", err)
		}
		if time.Since(pruned) > time.Hour {
			pruned = time.Now()
			if n, err := o.q.PruneNotices(ctx, time.Now().Add(-o.Keep)); err != nil && ctx.Err() == nil {
				o.log.Warn("outbox: prune", "error", err)
			} else if n > 0 {
				o.log.Info("outbox: old notices deleted", "count", n)
			}
		}
		t.Reset(o.Poll) // since Go 1.23 a Reset timer never delivers a stale tick
	}
}

// Drain sends every notice due now and returns when none is left, with
// what it did. It stops early, returning the error, when ctx ends (the
// notices in flight finish first) or when the relays refuse every message
// of a batch; what is left stays queued for the next Run or start.
func (o *Outbox) Drain(ctx context.Context) (Stats, error) {
	bg := context.WithoutCancel(ctx)
	cl := newClaims(o.cfg.Lease, o.q.RenewNoticeClaims)
	cl.start(bg)
	defer cl.close()
	var (
		mu    sync.Mutex
		stats Stats
		errs  []error
	)
	for ctx.Err() == nil {
		at := time.Now()
		ns, err := o.q.ClaimNotices(ctx, cl.owner, o.cfg.Connections, o.cfg.Lease)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return stats, fmt.Errorf("outbox: %w", err)
		}
		if len(ns) == 0 {
			break
		}
		for _, n := range ns {
			cl.add(at, n.ID)
		}
		var (
			wg               sync.WaitGroup
			accepted, relays int
			last             error
		)
		for _, n := range ns {
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer cl.finish(n.ID)
				res, err := o.send(ctx, bg, cl, n)
				mu.Lock()
				defer mu.Unlock()
				switch res {
				case sent:
					stats.Sent++
					accepted++
				case unsendable, refused:
					stats.Failed++
				case relayRefused:
					stats.Retried++
					relays++
					last = err
				case temporary:
					stats.Retried++
				}
				if err != nil && res == -1 {
					errs = append(errs, err)
				}
			}()
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return stats, err
		}
		if relays > 0 && accepted == 0 {
			return stats, last
		}
	}
	return stats, ctx.Err()
}

// send makes one attempt at n and records its outcome; an outcome of -1
// means it could not be recorded (err says why).
func (o *Outbox) send(ctx, bg context.Context, cl *claims, n digest.Notice) (outcome, error) {
	if lost, err := cl.check(n.ID); lost || err != nil {
		if err != nil {
			return -1, fmt.Errorf("outbox: notice %d: %w", n.ID, err)
		}
		return stopped, nil
	}
	if ctx.Err() != nil {
		return stopped, o.record(o.q.ReleaseNotice(bg, n.ID, "not attempted: sending stopped", time.Now()), n)
	}
	id, err := o.snd.Send(ctx, Message{To: n.To, ToName: n.ToName, Subject: n.Subject, HTML: n.HTML, Text: n.Text,
		UnsubscribeURL: n.UnsubscribeURL, Headers: n.Headers})
	res := judge(ctx, err)
	var rerr error
	switch res {
	case sent:
		rerr = o.q.MarkNoticeSent(bg, n.ID, id)
		o.log.Info("notice sent", "kind", n.Kind, "notice", n.ID, "subscriber", n.SubscriberID)
	case stopped:
		rerr = o.q.ReleaseNotice(bg, n.ID, "not attempted: sending stopped", time.Now())
	case relayRefused:
		rerr = o.q.ReleaseNotice(bg, n.ID, err.Error(), time.Now())
	case unsendable, refused:
		rerr = o.q.MarkNoticeFailed(bg, n.ID, err.Error())
		// The notice's ID, not the address: logs should not collect personal data.
		o.log.Warn("notice failed for good", "kind", n.Kind, "notice", n.ID, "subscriber", n.SubscriberID, "error", err)
	default:
		attempt := n.Attempts + 1
		if attempt >= o.cfg.MaxAttempts {
			res = refused
			rerr = o.q.MarkNoticeFailed(bg, n.ID, fmt.Sprintf("gave up after %d attempts: %v", attempt, err))
			o.log.Warn("notice failed for good", "kind", n.Kind, "notice", n.ID, "subscriber", n.SubscriberID, "attempts", attempt, "error", err)
		} else {
			rerr = o.q.MarkNoticeRetry(bg, n.ID, err.Error(), time.Now().Add(backoff(o.cfg.RetryBase, attempt)))
		}
	}
	if rerr = o.record(rerr, n); rerr != nil {
		return -1, rerr
	}
	return res, err
}

func (o *Outbox) record(err error, n digest.Notice) error {
	if err != nil && !errors.Is(err, digest.ErrNotFound) {
		return fmt.Errorf("outbox: record outcome of notice %d: %w", n.ID, err)
	}
	return nil
}
