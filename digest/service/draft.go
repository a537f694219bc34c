package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/weeklywrap/digest/digest"
	"github.com/weeklywrap/digest/digest/render"
	"github.com/weeklywrap/digest/digest/summary"
)

// maxExtra bounds the left-out stories a draft keeps with their text.
const maxExtra = 100

// newDraft gathers and curates the draft for slot.
func (s *Service) newDraft(ctx context.Context, slot time.Time) (digest.Draft, error) {
	start := s.Now()
	since := s.windowStart(ctx, slot)
	g, err := s.Gather(ctx, since, slot)
	if err != nil {
		return digest.Draft{}, err
	}
	is, ids, err := s.buildFrom(ctx, g, slot, since, start)
	if err != nil {
		return digest.Draft{}, err
	}
	return digest.Draft{Slot: slot, Issue: is, Extra: s.extras(g.Articles, is), Articles: ids, BuiltAt: s.Now().UTC()}, nil
}

// extras keeps the text of stories the curation left out (the best first),
// summarized, so that an editor can bring them back.
func (s *Service) extras(arts []digest.Article, is digest.Issue) []digest.Entry {
	byID := make(map[string]*digest.Article, len(arts))
	for i := range arts {
		byID[arts[i].ID] = &arts[i]
	}
	budget := s.summaryBudget()
	var out []digest.Entry
	for _, e := range is.Skipped {
		a := byID[e.Article.ID]
		if a == nil || len(out) >= maxExtra {
			continue
		}
		full := *a
		if !full.SummaryFixed {
			full.Summary = summary.Summarize(full.Title, full.Paragraphs, budget)
		}
		out = append(out, digest.Entry{Article: full, Score: e.Score, Why: e.Why, AlsoCoveredBy: e.AlsoCoveredBy})
	}
	return out
}

// refreshDraft rebuilds an open or held draft before its slot when new
// articles arrived, at most every review.refresh across processes. The
// edits are kept: they are applied over whatever the rebuild gives.
func (s *Service) refreshDraft(ctx context.Context, d digest.Draft) error {
	now := s.Now()
	if !now.Before(d.Slot) || (d.State != digest.DraftOpen && d.State != digest.DraftHeld) {
		return nil
	}
	ds, err := s.Drafts()
	if err != nil {
		return err
	}
	if ok, err := ds.ClaimRefresh(ctx, d.Slot, now, now.Add(-s.Cfg.Review.Refresh)); err != nil || !ok {
		return err
	}
	return s.RebuildDraft(ctx, d.Slot, false)
}

// RebuildDraft gathers the draft's window again and, if an article came
// that the draft does not hold (or always, with force), curates it anew
// and stores it with its edits kept. An approved draft is frozen and is
// left alone.
func (s *Service) RebuildDraft(ctx context.Context, slot time.Time, force bool) error {
	return s.withDrafts(ctx, func(ctx context.Context, ds digest.DraftStore) error {
		d, err := ds.Draft(ctx, slot)
		if err != nil {
			return err
		}
		if d.State != digest.DraftOpen && d.State != digest.DraftHeld {
			return nil
		}
		start := s.Now()
		since := s.windowStart(ctx, slot)
		g, err := s.Gather(ctx, since, slot)
		if err != nil {
			return err
		}
		had := make(map[string]bool, len(d.Articles))
		for _, id := range d.Articles {
			had[id] = true
		}
		fresh := 0
		for _, a := range g.Articles {
			if !had[a.ID] {
				fresh++
			}
		}
		if fresh == 0 && !force {
			s.Log.Debug("draft checked: no new articles", "slot", slot.Format(time.RFC3339))
			return nil
		}
		is, ids, err := s.buildFrom(ctx, g, slot, since, start)
		if err != nil {
			return err
		}
		nd := digest.Draft{Slot: slot, Issue: is, Extra: s.extras(g.Articles, is), Articles: ids, BuiltAt: s.Now().UTC()}
		if _, err := ds.RebuildDraft(ctx, nd); err != nil && !errors.Is(err, digest.ErrConflict) {
			return err
		}
		s.Log.Info("draft rebuilt with new articles; the edits are kept", "slot", slot.Format(time.RFC3339), "new", fresh)
		return nil
	})
}

// sendDraft stores an approved draft as the slot's issue: exactly the
// edited draft the editors previewed (the same ApplyEdits over the same
// stored rows), numbered and with its subject, with a delivery for every
// subscriber. CreateIssue keeps it to one issue per slot.
func (s *Service) sendDraft(ctx context.Context, slot time.Time) (digest.StoredIssue, bool, error) {
	var (
		stored  digest.StoredIssue
		created bool
	)
	err := s.withDrafts(ctx, func(ctx context.Context, ds digest.DraftStore) error {
		if st, err := s.Store.IssueBySlot(ctx, slot); err == nil {
			stored = st
			return ds.MarkDraftSent(ctx, slot, st.Number)
		}
		d, err := ds.Draft(ctx, slot)
		if err != nil {
			return err
		}
		switch d.State {
		case digest.DraftHeld:
			return ErrHeld
		case digest.DraftSkipped:
			return ErrDraftSkipped
		case digest.DraftOpen:
			return ErrAwaitingApproval
		}
		v, err := s.View(ctx, d)
		if err != nil {
			return err
		}
		is := v.Edited.Issue
		if is.Empty() && !s.Cfg.SendEmpty {
			_, err := ds.SetDraftState(ctx, slot, []digest.DraftState{digest.DraftApproved}, digest.DraftSkipped, 0,
				digest.Edit{Kind: digest.EditSkip, Editor: serviceEditor, Value: "no stories (send_empty: false)", At: s.Now()})
			if err != nil {
				return err
			}
			s.Log.Info("the reviewed draft has no stories; nothing sent (send_empty: false)", "slot", slot.Format(time.RFC3339))
			return digest.ErrNoContent
		}
		seen := append([]string(nil), d.Articles...)
		for _, l := range v.Links {
			seen = append(seen, l.Article.ID)
		}
		for try := 1; ; try++ {
			p, err := s.Render.Prepare(&is)
			if err != nil {
				return fmt.Errorf("render issue %d: %w", is.Number, err)
			}
			if err := s.enforceChecks(p, is.Number); err != nil {
				return err
			}
			web := render.Personal{}
			stored, created, err = s.Store.CreateIssue(ctx, digest.StoredIssue{Issue: is, HTML: p.HTML(web), Text: p.Text(web)}, seen)
			if errors.Is(err, digest.ErrExists) && try < 3 {
				// An issue was stored outside review meanwhile (a lease ran
				// out under a stalled process): the number moves on, and
				// with it the subject; nothing else of the draft changes.
				s.Log.Warn("issue number taken meanwhile; numbering the draft again", "draft", is.Number, "error", err)
				if v, err = s.View(ctx, d); err != nil {
					return err
				}
				is = v.Edited.Issue
				continue
			}
			if err != nil {
				return fmt.Errorf("store issue: %w", err)
			}
			return ds.MarkDraftSent(ctx, slot, stored.Number)
		}
	})
	if err != nil {
		return stored, false, err
	}
	if created {
		qs, _ := s.Store.QueueStats(ctx, stored.Number)
		s.Log.Info("issue stored from the reviewed draft", "issue", stored.Number, "subject", stored.Subject, "deliveries", qs.Pending)
	}
	return stored, created, nil
}

// sendReviewed is SendIssue under review: `digest send` stands for the
// draft the editors are looking at (or, with none, for the slot SendSlot
// names, whose draft is built first), sent now if the mode allows it.
func (s *Service) sendReviewed(ctx context.Context) (digest.StoredIssue, bool, error) {
	ds, err := s.Drafts()
	if err != nil {
		return digest.StoredIssue{}, false, err
	}
	slot, err := s.SendSlot(ctx, s.Now())
	if err != nil {
		return digest.StoredIssue{}, false, err
	}
	if cur, err := ds.CurrentDraft(ctx); err == nil {
		slot = cur.Slot
	}
	return s.reviewedSlot(ctx, slot)
}

// View applies the draft's links and edits and numbers the result as the
// next issue, with its subject: what would be sent now.
func (s *Service) View(ctx context.Context, d digest.Draft) (digest.DraftView, error) {
	ds, err := s.Drafts()
	if err != nil {
		return digest.DraftView{}, err
	}
	links, err := ds.Links(ctx, d.Slot)
	if err != nil {
		return digest.DraftView{}, err
	}
	edits, err := ds.Edits(ctx, d.Slot)
	if err != nil {
		return digest.DraftView{}, err
	}
	ed := digest.ApplyEdits(d, links, edits)
	n := d.Number
	if n == 0 {
		if n, err = s.Store.NextIssueNumber(ctx); err != nil {
			return digest.DraftView{}, err
		}
	}
	ed.Issue.Number, ed.Issue.Subject = n, ""
	subj, err := s.Render.Subject(&ed.Issue)
	if err != nil {
		return digest.DraftView{}, fmt.Errorf("draft subject: %w", err)
	}
	ed.Issue.Subject = subj
	return digest.DraftView{Draft: d, Edited: ed, Edits: edits, Links: links}, nil
}

// CurrentView is View of the current draft; ErrNotFound when none is open.
func (s *Service) CurrentView(ctx context.Context) (digest.DraftView, error) {
	ds, err := s.Drafts()
	if err != nil {
		return digest.DraftView{}, err
	}
	d, err := ds.CurrentDraft(ctx)
	if err != nil {
		return digest.DraftView{}, err
	}
	return s.View(ctx, d)
}

// withLinks adds the links waiting in the pool to an issue built without
// review, as editor's picks, and marks them used by its slot.
func (s *Service) withLinks(ctx context.Context, is digest.Issue, seen []string, slot time.Time) (digest.Issue, []string, error) {
	ds, err := s.Drafts()
	if err != nil {
		return is, seen, nil // a store without drafts has no links either
	}
	links, err := ds.ClaimLinks(ctx, slot)
	if err != nil || len(links) == 0 {
		return is, seen, err
	}
	out := digest.ApplyEdits(digest.Draft{Slot: slot, Issue: is}, links, nil).Issue
	out.Subject = ""
	if out.Subject, err = s.Render.Subject(&out); err != nil {
		return is, seen, fmt.Errorf("build: subject: %w", err)
	}
	for _, l := range links {
		seen = append(seen, l.Article.ID)
	}
	return out, seen, nil
}

// Preview renders is as a subscriber who chose topics receives it, with
// pe's name and links: the same rendering Deliver gives each subscriber.
func (s *Service) Preview(ctx context.Context, is digest.Issue, topics []string, pe render.Personal) (subject, html, text string, err error) {
	is = s.ForTopics(is, topics)
	p, err := s.Render.Prepare(&is)
	if err != nil {
		return "", "", "", fmt.Errorf("preview: %w", err)
	}
	return p.Subject(), p.HTML(pe), p.Text(pe), nil
}
