package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/mailer"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/route"
)

// prepare renders issue n once per process for personalization; with
// topics it renders the version whose sections are only those topics (top
// stories always stay), once per distinct choice.
func (s *Service) prepare(ctx context.Context, n int, topics []string) (*render.Prepared, error) {
	key := fmt.Sprint(n)
	if len(topics) > 0 {
		sorted := slices.Clone(topics)
		slices.Sort(sorted)
		key += "|" + strings.Join(sorted, "|")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if p, ok := s.prepared[key]; ok {
		return p, nil
	}
	st, err := s.Store.IssueByNumber(ctx, n)
	if err != nil {
		return nil, fmt.Errorf("issue %d: %w", n, err)
	}
	is := s.ForTopics(st.Issue, topics)
	p, err := s.Render.Prepare(&is)
	if err != nil {
		return nil, fmt.Errorf("render issue %d: %w", n, err)
	}
	s.prepared[key] = p
	return p, nil
}

// ForTopics is the issue a subscriber who chose topics receives: the
// sections of the other configured topics are left out (top stories
// always stay). Only configured topics can be chosen, so only those are
// filtered: content clusters and "More this week" reach everyone, and a
// topic renamed in config does not leave a reader with top stories alone.
func (s *Service) ForTopics(is digest.Issue, topics []string) digest.Issue {
	if len(topics) == 0 {
		return is
	}
	configured := map[string]bool{}
	for _, t := range s.Cfg.Topics {
		configured[t.Name] = true
	}
	all := is.Sections
	is.Sections = nil
	for _, sec := range all {
		if !configured[sec.Name] || slices.Contains(topics, sec.Name) {
			is.Sections = append(is.Sections, sec)
		}
	}
	return is
}

// Personal builds the per-subscriber links.
func (s *Service) Personal(sub digest.Subscriber) render.Personal {
	base := s.Cfg.Newsletter.BaseURL
	pe := render.Personal{Name: sub.Name, Email: sub.Email}
	if sub.ID != 0 {
		pe.PreferencesURL, pe.UnsubscribeURL = s.Tokens.Links(base, sub.ID)
	} else {
		pe.UnsubscribeURL = route.Site(base).URL(route.Unsubscribe)
		pe.PreferencesURL = route.Site(base).URL(route.Home)
	}
	return pe
}

// Message makes the message of a prepared issue for one subscriber; with a
// nil p it makes only the envelope and the personal unsubscribe link.
func (s *Service) Message(p *render.Prepared, n int, sub digest.Subscriber) mailer.Message {
	pe := s.Personal(sub)
	oneClick := oneClickURL(sub, pe)
	if p == nil {
		return mailer.Message{To: sub.Email, ToName: sub.Name, UnsubscribeURL: oneClick}
	}
	return mailer.Message{
		To: sub.Email, ToName: sub.Name, Subject: p.Subject(),
		HTML: p.HTML(pe), Text: p.Text(pe), UnsubscribeURL: oneClick,
		Headers: map[string]string{"X-Digest-Issue": fmt.Sprint(n)},
	}
}

// streamed is Message for the bulk send: the same message, its parts
// written from the prepared rendering into the encoder as the message is
// sent, not built as strings first (about a quarter of what a send
// allocates per subscriber, and as much less garbage to collect).
func (s *Service) streamed(p *render.Prepared, n int, sub digest.Subscriber) mailer.Message {
	pe := s.Personal(sub)
	return mailer.Message{
		To: sub.Email, ToName: sub.Name, Subject: p.Subject(),
		WriteHTML: func(w io.Writer) (int64, error) { return p.WriteHTML(w, pe) },
		WriteText: func(w io.Writer) (int64, error) { return p.WriteText(w, pe) },
		// The same, encoded: the issue's text once for the whole send.
		WriteHTMLQP:    func(w io.Writer) (int64, error) { return p.WriteHTMLQP(w, pe) },
		WriteTextQP:    func(w io.Writer) (int64, error) { return p.WriteTextQP(w, pe) },
		UnsubscribeURL: oneClickURL(sub, pe),
		Headers:        map[string]string{"X-Digest-Issue": strconv.Itoa(n)},
	}
}

// oneClickURL is the List-Unsubscribe link. Only a subscriber has a token:
// a test message to any address gets none, rather than a one-click link
// that could not work.
func oneClickURL(sub digest.Subscriber, pe render.Personal) string {
	if sub.ID == 0 {
		return ""
	}
	return pe.UnsubscribeURL
}

// Sender returns the shared SMTP sender, connecting on first use.
func (s *Service) Sender() (*mailer.Sender, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sender == nil {
		snd, err := mailer.NewSender(s.Mail)
		if err != nil {
			return nil, fmt.Errorf("smtp: %w", err)
		}
		s.sender = snd
	}
	return s.sender, nil
}

// Outbox returns the shared notice queue (see mailer.Outbox), sending
// through the shared SMTP sender. Nothing sends its notices until Run or
// Drain is called: `digest serve` runs it.
func (s *Service) Outbox() (*mailer.Outbox, error) {
	snd, err := s.Sender()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.outbox == nil {
		ob, err := mailer.NewOutbox(s.Store, snd, s.Mail, s.Log)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		s.outbox = ob
	}
	return s.outbox, nil
}

// Deliver sends issue n's pending deliveries; with TakeOver it also waits
// for a stopped run's claims to run out and sends those.
func (s *Service) Deliver(ctx context.Context, n int) (mailer.Stats, error) {
	stats, err := s.deliver(ctx, n)
	for err == nil && s.TakeOver && ctx.Err() == nil {
		dead, werr := s.awaitDeadClaims(ctx, n)
		if werr != nil || !dead {
			return stats, werr
		}
		more, derr := s.deliver(ctx, n)
		stats.Sent += more.Sent
		stats.Failed += more.Failed
		stats.Retried += more.Retried
		stats.Skipped += more.Skipped
		err = derr
		if more == (mailer.Stats{}) {
			break
		}
	}
	return stats, err
}

// awaitDeadClaims looks at the claims others hold on issue n. A live run
// renews its claims every lease/3, so their earliest expiry moves (or they
// are finished); claims whose expiry stays put for longer belong to a run
// that stopped. Those it waits out and reports true: they can be claimed
// now. It reports false when there are none, or a live run holds them.
func (s *Service) awaitDeadClaims(ctx context.Context, n int) (bool, error) {
	lease := s.leaseTTL()
	first, err := s.Store.ClaimExpiry(ctx, n)
	if err != nil || first.IsZero() || time.Until(first) > 2*lease {
		// Claims of a run with a longer lease than ours are not ours to wait for.
		return false, err
	}
	watch := time.Now().Add(lease/3 + lease/10)
	for time.Now().Before(watch) && time.Now().Before(first) {
		if err := sleep(ctx, min(250*time.Millisecond, lease/10)); err != nil {
			return false, err
		}
		now, err := s.Store.ClaimExpiry(ctx, n)
		if err != nil {
			return false, err
		}
		if !now.Equal(first) {
			if !now.IsZero() {
				s.Log.Info("another live run is sending this issue; leaving its deliveries to it", "issue", n)
			}
			return false, nil
		}
	}
	qs, _ := s.Store.QueueStats(ctx, n)
	s.Log.Info("taking over the claims of a stopped run once they run out", "issue", n, "claimed", qs.Sending,
		"in", time.Until(first).Round(100*time.Millisecond))
	return true, sleep(ctx, time.Until(first)+50*time.Millisecond)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func (s *Service) deliver(ctx context.Context, n int) (mailer.Stats, error) {
	if _, err := s.prepare(ctx, n, nil); err != nil {
		return mailer.Stats{}, err
	}
	snd, err := s.Sender()
	if err != nil {
		return mailer.Stats{}, err
	}
	total := 0
	if qs, err := s.Store.QueueStats(ctx, n); err == nil {
		total = qs.Pending + qs.Sending
	}
	compose := func(ctx context.Context, sub digest.Subscriber) (mailer.Message, error) {
		p, err := s.prepare(ctx, n, sub.Topics)
		if err != nil {
			return mailer.Message{}, err
		}
		return s.streamed(p, n, sub), nil
	}
	stats, err := mailer.Deliver(ctx, s.Store, snd, n, compose, s.Mail, func(st mailer.Stats) {
		if s.SendProgress != nil {
			s.SendProgress(st, total)
			return
		}
		s.progress("send", st.Sent+st.Failed+st.Skipped, total)
	})
	s.Metrics.Messages(stats.Sent, stats.Failed, stats.Retried)
	if qs, err := s.Store.QueueStats(ctx, n); err == nil {
		s.Metrics.Queue(qs.Pending + qs.Sending)
	}
	if stats != (mailer.Stats{}) || err != nil {
		s.Log.Info("deliveries done", "issue", n, "sent", stats.Sent, "failed", stats.Failed, "retried", stats.Retried)
	}
	s.forgetOthers(n)
	return stats, err
}

// forgetOthers drops the rendered versions of issues other than n, so a
// daemon that runs for months keeps one issue's renderings, not all.
func (s *Service) forgetOthers(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	prefix := fmt.Sprint(n)
	for key := range s.prepared {
		if key != prefix && !strings.HasPrefix(key, prefix+"|") {
			delete(s.prepared, key)
		}
	}
}

// ResumeUnfinished sends what earlier runs left pending, oldest issue
// first, and returns the numbers of the issues it worked on with what this
// run sent of them in total.
func (s *Service) ResumeUnfinished(ctx context.Context) ([]int, mailer.Stats, error) {
	var total mailer.Stats
	ns, err := s.Store.UnfinishedIssues(ctx)
	if err != nil {
		return nil, total, fmt.Errorf("unfinished issues: %w", err)
	}
	for i, n := range ns {
		s.Log.Debug("resuming unfinished issue", "issue", n)
		st, err := s.Deliver(ctx, n)
		total.Sent += st.Sent
		total.Failed += st.Failed
		total.Retried += st.Retried
		total.Skipped += st.Skipped
		if err != nil {
			return ns[:i+1], total, err
		}
	}
	return ns, total, nil
}

// SlotRun is what one RunSlot did.
type SlotRun struct {
	Issue   int          // the slot's issue; 0 when nothing was built (no content)
	Created bool         // this run built and stored it
	Stats   mailer.Stats // what this run sent
}

// RunSlot builds (once) and sends the issue for slot.
func (s *Service) RunSlot(ctx context.Context, slot time.Time) (SlotRun, error) {
	build := s.BuildOnce
	if s.Cfg.Review.On() {
		build = s.reviewedSlot
	}
	st, created, err := build(ctx, slot)
	if errors.Is(err, digest.ErrNoContent) || errors.Is(err, ErrNotSending) {
		return SlotRun{}, nil
	}
	if err != nil {
		return SlotRun{}, err
	}
	stats, err := s.Deliver(ctx, st.Number)
	return SlotRun{Issue: st.Number, Created: created, Stats: stats}, err
}

// Close releases the SMTP connections.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sender != nil {
		return s.sender.Close()
	}
	return nil
}

// CheckRelay connects to the SMTP relay before any work, so that a server
// that is not running or a wrong TLS mode is said first, with its fix,
// and not after an issue was built and queued.
func (s *Service) CheckRelay(ctx context.Context) error {
	snd, err := s.Sender()
	if err != nil {
		return err
	}
	if err := snd.Check(ctx); err != nil {
		return fmt.Errorf("%w\nnothing was built or sent; fix smtp in %s (digest config check) and run this again", err, s.Cfg.Path)
	}
	return nil
}
